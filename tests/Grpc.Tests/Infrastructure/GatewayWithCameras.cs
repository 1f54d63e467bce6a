using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests.Infrastructure;

/// <summary>The real gateway in front of the real Cameras service, gRPC clients on the gateway's h2c endpoint (gateway/README.md).</summary>
public sealed class GatewayWithCameras : IAsyncLifetime
{
    public CamerasService Cameras { get; } = new();

    public ServiceProcess Gateway { get; private set; } = null!;

    public int GrpcPort { get; private set; }

    public string GrpcAddress => $"127.0.0.1:{GrpcPort}";

    public Uri GrpcUri => new($"http://{GrpcAddress}");

    public async Task InitializeAsync()
    {
        await Cameras.InitializeAsync();
        GrpcPort = FreePort.Next();
        Gateway = await ServiceProcess.StartReadyAsync("Gateway", new Dictionary<string, string?>
        {
            ["services__cameras__http__0"] = Cameras.Service.BaseAddress.ToString(),
            ["services__cameras__grpc__0"] = Cameras.GrpcUri.ToString(),
            ["Gateway__GrpcUrl"] = GrpcUri.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        await Cameras.DisposeAsync();
    }
}
