using System.Net;

namespace PublicSafety.AppHost.Tests;

public sealed class GatewayReadinessTests
{
    // A cold start pulls three images and builds six projects.
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(10);

    [Fact]
    public async Task GatewayIsReadyOnceTheWholeSystemHasStarted()
    {
        using var timeout = new CancellationTokenSource(StartupTimeout);
        var appHost = await DistributedApplicationTestingBuilder.CreateAsync<Projects.PublicSafety_AppHost>(timeout.Token);
        await using var app = await appHost.BuildAsync(timeout.Token);
        await app.StartAsync(timeout.Token);

        // The gateway waits for every service, and each service for its database, the broker and Keycloak.
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", timeout.Token);

        using var client = app.CreateHttpClient("gateway");
        using var response = await client.GetAsync("/health/ready", timeout.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
