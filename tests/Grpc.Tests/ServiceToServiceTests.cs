using System.IdentityModel.Tokens.Jwt;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.Grpc.Tests.Infrastructure;
using PublicSafety.Grpc.Tests.Interop;
using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests;

/// <summary>
/// A calling service as it is wired in production code (AddServiceDefaults + AddGrpcClient), calling with its own token:
/// in Development without Keycloak, one minted with the development key and the roles its Keycloak client would hold.
/// </summary>
public sealed class ServiceToServiceTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    private static WebApplication Caller(string environment, Dictionary<string, string?> settings) => CallingService.Build(environment, settings);

    [Fact]
    public async Task ACallingServiceFindsCamerasWithItsOwnDevelopmentToken()
    {
        await using var host = Caller(Environments.Development, new() { ["services:cameras:grpc:0"] = cameras.GrpcUri.ToString() });
        var client = host.Services.GetRequiredService<CameraDirectory.CameraDirectoryClient>();

        var response = await client.FindCamerasNearAsync(new FindCamerasNearRequest { Latitude = 43.2567, Longitude = 76.9286, RadiusMeters = 50 });
        using var stream = client.StreamCamerasInRegion(new StreamCamerasInRegionRequest { Region = CamerasService.StreamRegion });
        var streamed = await stream.ResponseStream.ReadAllAsync().CountAsync();
        using var empty = client.StreamCamerasInRegion(new StreamCamerasInRegionRequest { Region = "KZ-33" });
        var emptyRegion = await empty.ResponseStream.ReadAllAsync().CountAsync();

        Assert.Equal(CamerasService.AbayAve.ToString(), response.Cameras.Single().Camera.Id);
        Assert.Equal(CamerasService.StreamRegionCameras, streamed);
        Assert.Equal(0, emptyRegion);
    }

    [Fact]
    public async Task TheServiceTokenIsTheCallersOwnAndNotAForwardedOne()
    {
        await using var node = await Node.StartServerAsync();
        await using var host = Caller(Environments.Development, new() { ["services:interop:grpc:0"] = node.Address.ToString() });

        var reply = await host.Services.GetRequiredService<InteropTest.InteropTestClient>().EchoAsync(new EchoRequest());

        var token = new JwtSecurityTokenHandler().ReadJwtToken(reply.Authorization["Bearer ".Length..]);
        Assert.Equal("probation", token.Claims.Single(c => c.Type == "azp").Value);
        Assert.Equal("service-account-probation", token.Claims.Single(c => c.Type == "preferred_username").Value);
        Assert.Contains("cameras.read", token.Claims.Single(c => c.Type == "realm_access").Value);
    }

    [Fact]
    public async Task WithAClientSecretTheTokenComesFromKeycloaksClientCredentialsGrantAndIsCached()
    {
        // A stand-in for Keycloak's token endpoint: what it was asked, and a token that lives 60 s.
        var requests = new List<(string? Authorization, string Body)>();
        var port = FreePort.Next();
        var keycloak = WebApplication.CreateBuilder();
        keycloak.WebHost.UseUrls($"http://127.0.0.1:{port}");
        keycloak.Logging.ClearProviders();
        await using var fake = keycloak.Build();
        fake.MapPost("/realms/public-safety/protocol/openid-connect/token", async (HttpRequest request) =>
        {
            var body = await new StreamReader(request.Body).ReadToEndAsync();
            lock (requests)
            {
                requests.Add((request.Headers.Authorization.ToString(), body));
            }

            return Results.Json(new { access_token = "token-from-keycloak", expires_in = 60, token_type = "Bearer" });
        });
        await fake.StartAsync();
        await using var node = await Node.StartServerAsync();
        await using var host = Caller(Environments.Production, new()
        {
            ["services:interop:grpc:0"] = node.Address.ToString(),
            ["Keycloak:Authority"] = $"http://127.0.0.1:{port}/realms/public-safety",
            ["Keycloak:ClientSecret"] = "s3cret",
        });
        var client = host.Services.GetRequiredService<InteropTest.InteropTestClient>();

        var first = await client.EchoAsync(new EchoRequest());
        var second = await client.EchoAsync(new EchoRequest());

        Assert.Equal("Bearer token-from-keycloak", first.Authorization);
        Assert.Equal("Bearer token-from-keycloak", second.Authorization);
        var (authorization, body) = Assert.Single(requests);
        Assert.Equal("grant_type=client_credentials", body);
        Assert.Equal("Basic " + Convert.ToBase64String("probation:s3cret"u8.ToArray()), authorization);
    }

    [Fact]
    public async Task OutsideDevelopmentTheDevelopmentKeyIsNeverUsedToMintTokens()
    {
        await using var node = await Node.StartServerAsync();
        await using var host = Caller(Environments.Production, new() { ["services:interop:grpc:0"] = node.Address.ToString() });

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await host.Services.GetRequiredService<InteropTest.InteropTestClient>().EchoAsync(new EchoRequest()));

        // grpc-dotnet reports the handler's failure as the call's status; the cause says what to configure.
        Assert.Contains("Keycloak:ClientSecret", error.Status.DebugException?.Message);
    }

    [Fact]
    public async Task AStreamOutlivesTheRestResilienceHandlersAttemptTimeout()
    {
        // The shared REST handler cuts every attempt at 10 s; gRPC clients don't go through it.
        await using var node = await Node.StartServerAsync();
        await using var host = Caller(Environments.Development, new() { ["services:interop:grpc:0"] = node.Address.ToString() });
        var started = DateTimeOffset.UtcNow;

        using var call = host.Services.GetRequiredService<InteropTest.InteropTestClient>().Count(new CountRequest { Count = 12, IntervalMs = 1000 });
        var received = await call.ResponseStream.ReadAllAsync().CountAsync();

        Assert.Equal(12, received);
        Assert.True(DateTimeOffset.UtcNow - started > TimeSpan.FromSeconds(11));
    }
}
