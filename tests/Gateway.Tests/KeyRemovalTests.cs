using System.Net;
using PublicSafety.Gateway.Tests.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.Testing;

namespace PublicSafety.Gateway.Tests;

/// <summary>A gateway that trusts a realm's published keys (no development key), in front of a recording Cameras.</summary>
public sealed class GatewayOfATestRealm : IAsyncLifetime
{
    public TestRealm Realm { get; private set; } = null!;

    public RecordingServer Cameras { get; private set; } = null!;

    public ServiceProcess Gateway { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Realm = await TestRealm.StartAsync();
        Cameras = await RecordingServer.StartAsync();
        Gateway = await ServiceProcess.StartReadyAsync("Gateway", new Dictionary<string, string?>
        {
            ["services__cameras__http__0"] = Cameras.Http.ToString(),
            ["Keycloak__Authority"] = Realm.Authority.ToString(),
            ["Keycloak__RequireHttpsMetadata"] = "false",
            ["Keycloak__DevelopmentSigningKeyFile"] = null,
        });
    }

    public async Task DisposeAsync()
    {
        await GatewayFixture.DisposeAllAsync(Gateway, Cameras);
        await Realm.DisposeAsync();
    }
}

public class KeyRemovalTests(GatewayOfATestRealm gateway) : IClassFixture<GatewayOfATestRealm>
{
    [Fact]
    public async Task ATokenThatExpiresFarAheadStopsWorkingOnceTheRealmRemovedItsKey()
    {
        var removed = TestRealm.NewKey("key-removed");
        var current = TestRealm.NewKey("key-current");
        gateway.Realm.Publish(removed);
        var longLived = gateway.Realm.Token(removed, "far-future-client", TimeSpan.FromDays(30), Roles.CamerasRead);
        var fresh = gateway.Realm.Token(current, "fresh-client", TimeSpan.FromMinutes(5), Roles.CamerasRead);
        using var before = await Get(longLived);
        using var again = await Get(longLived);
        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);

        gateway.Realm.Publish(current);

        // A token of the new key makes the gateway fetch the realm's keys at once, rather than at its next scheduled refresh
        // (Keycloak:SigningKeyRefreshInterval, 5 minutes, too long for a test); the remembered token must not outlive that.
        var refused = await Eventually.HoldsAsync(async () =>
        {
            using var trigger = await Get(fresh);
            using var response = await Get(longLived);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, TimeSpan.FromSeconds(30));
        using var withTheCurrentKey = await Get(fresh);

        Assert.True(refused, "the gateway still accepts a token whose signing key the realm no longer publishes");
        Assert.Equal(HttpStatusCode.OK, withTheCurrentKey.StatusCode);
    }

    private async Task<HttpResponseMessage> Get(string token)
    {
        using var client = gateway.Gateway.CreateClient(token);
        return await client.GetAsync("/api/cameras/list");
    }
}
