using System.Net;
using System.Net.Http.Headers;
using PublicSafety.Testing;

namespace PublicSafety.Gateway.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}

/// <summary>
/// The gateway as it runs for real, in front of: the real Feedback service (own database, shared broker); a recording
/// server as Cameras (REST and gRPC), so tests see exactly what a destination receives; a recording server as RoadSafety
/// that a test may stop; and a Probation address where nothing listens. Crisis has no destination and is left out.
/// </summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public const long MaxRequestBodyBytes = 4096;

    /// <summary>The import path's own limit in these tests (appsettings.json gives it 32 MiB).</summary>
    public const long ImportBodyBytes = 4 * MaxRequestBodyBytes;

    private TestDatabase? _database;

    public ServiceProcess Feedback { get; private set; } = null!;

    public RecordingServer Cameras { get; private set; } = null!;

    public RecordingServer RoadSafety { get; private set; } = null!;

    public ServiceProcess Gateway { get; private set; } = null!;

    public Uri GrpcEndpoint { get; private set; } = null!;

    public Uri ProbationAddress { get; } = new($"http://127.0.0.1:{FreePort.Next()}");

    public async Task InitializeAsync()
    {
        (Feedback, _database) = await ServiceProcess.StartWithDatabaseAsync("Feedback");
        Cameras = await RecordingServer.StartAsync();
        RoadSafety = await RecordingServer.StartAsync();
        GrpcEndpoint = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        Gateway = await ServiceProcess.StartReadyAsync("Gateway", new Dictionary<string, string?>
        {
            ["services__feedback__http__0"] = Feedback.BaseAddress.ToString(),
            ["services__cameras__http__0"] = Cameras.Http.ToString(),
            ["services__cameras__grpc__0"] = Cameras.H2c.ToString(),
            ["services__road-safety__http__0"] = RoadSafety.Http.ToString(),
            ["services__probation__http__0"] = ProbationAddress.ToString(),
            ["Gateway__GrpcUrl"] = GrpcEndpoint.ToString(),
            ["Gateway__MaxRequestBodyBytes"] = MaxRequestBodyBytes.ToString(),
            ["Gateway__BodyLimits__cameras-import__MaxBytes"] = ImportBodyBytes.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await DisposeAllAsync(Gateway, Feedback, Cameras, RoadSafety, _database);
    }

    public HttpClient CreateClient(string? token = null) => Gateway.CreateClient(token);

    /// <summary>A client that speaks HTTP/2 without TLS (h2c, "prior knowledge"), as gRPC clients do.</summary>
    public HttpClient CreateGrpcClient(string? token = null)
    {
        var client = new HttpClient
        {
            BaseAddress = GrpcEndpoint,
            Timeout = TimeSpan.FromSeconds(30),
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    internal static async Task DisposeAllAsync(params IAsyncDisposable?[] resources)
    {
        foreach (var resource in resources)
        {
            if (resource is not null)
            {
                await resource.DisposeAsync();
            }
        }
    }
}
