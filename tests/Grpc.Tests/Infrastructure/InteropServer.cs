using System.Collections.Concurrent;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PublicSafety.DevToken;
using PublicSafety.Grpc.Tests.Interop;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Grpc;
using PublicSafety.ServiceDefaults.Grpc.Server;
using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests.Infrastructure;

/// <summary>
/// Our server (ServiceDefaults/Grpc) serving the InteropTest service on real loopback sockets, in the test process so that
/// tests can see what its handlers saw (cancellation, deadlines). Echo needs cameras.read; Count any valid token; Update
/// is deliberately not mapped.
/// </summary>
public sealed class InteropServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, int> _attempts = new();

    private InteropServer(WebApplication app, int grpcPort, int restPort)
    {
        _app = app;
        GrpcPort = grpcPort;
        RestPort = restPort;
    }

    public int GrpcPort { get; }

    public int RestPort { get; }

    public string Address => $"127.0.0.1:{GrpcPort}";

    /// <summary>Handlers whose CancellationToken fired, by method, with the time it fired.</summary>
    public ConcurrentQueue<(string Method, DateTimeOffset At)> Cancellations { get; } = new();

    public static async Task<InteropServer> StartAsync(IDictionary<string, string?>? settings = null)
    {
        var grpcPort = FreePort.Next();
        var restPort = FreePort.Next();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = $"http://127.0.0.1:{restPort}",
            ["Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
            ["Keycloak:Authority"] = DevTokens.DefaultIssuer,
            ["Keycloak:RequireHttpsMetadata"] = "false",
            ["Keycloak:DevelopmentSigningKeyFile"] = TestTokens.KeyFile,
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.AddKeycloakAuthentication();
        builder.Services.AddHealthChecks();
        builder.AddGrpcServer();
        var app = builder.Build();
        var server = new InteropServer(app, grpcPort, restPort);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcHealthService();
        var service = app.MapGrpcService(InteropTestReflection.Descriptor, "InteropTest");
        service.MapUnary<EchoRequest, EchoReply>("Echo", server.EchoAsync).RequireAuthorization(Roles.CamerasRead);
        service.MapServerStreaming<CountRequest, CountReply>("Count", server.CountAsync);
        await app.StartAsync();
        return server;
    }

    private async Task<EchoReply> EchoAsync(EchoRequest request, GrpcCallContext context)
    {
        var attempt = request.Key.Length > 0 ? _attempts.AddOrUpdate(request.Key, 1, (_, n) => n + 1) : 1;
        if (request.DelayMs > 0)
        {
            await Observe("Echo", context, Task.Delay(request.DelayMs, context.CancellationToken));
        }

        // Negative codes: exceptions a handler's dependencies throw, to check how they are mapped.
        switch (request.FailCode)
        {
            case -1: throw new InvalidOperationException("Host=db.internal;Password=hunter2 refused the connection");
            case -2: throw new KeyNotFoundException("No camera 42.");
            case -3: throw new ArgumentException("radius_meters must be positive.");
            case -4: throw new Polly.CircuitBreaker.BrokenCircuitException("circuit open");
            case -5: throw new UnauthorizedAccessException("not your region");
        }

        if (request.FailCode > 0 && (request.FailTimes == 0 || attempt <= request.FailTimes))
        {
            throw new GrpcCallException((GrpcStatusCode)request.FailCode, request.FailMessage);
        }

        return new EchoReply
        {
            Payload = request.ReplySize > 0 ? ByteString.CopyFrom(new byte[request.ReplySize]) : request.Payload,
            Authorization = context.RequestHeaders.Authorization.ToString(),
            Attempt = attempt,
            DeadlineRemainingMs = context.Deadline is { } d ? (long)(d - DateTimeOffset.UtcNow).TotalMilliseconds : -1,
            CustomHeader = context.RequestHeaders["x-custom"].ToString(),
        };
    }

    private async Task CountAsync(CountRequest request, IGrpcStreamWriter<CountReply> stream, GrpcCallContext context)
    {
        // The cancellation may find the handler writing as well as waiting.
        await Observe("Count", context, WriteAll());

        if (request.FailCode != 0)
        {
            throw new GrpcCallException((GrpcStatusCode)request.FailCode, request.FailMessage);
        }

        async Task WriteAll()
        {
            for (var n = 1; n <= request.Count; n++)
            {
                await stream.WriteAsync(new CountReply { N = n });
                if (request.IntervalMs > 0)
                {
                    await Task.Delay(request.IntervalMs, context.CancellationToken);
                }
            }
        }
    }

    private async Task Observe(string method, GrpcCallContext context, Task work)
    {
        try
        {
            await work;
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            Cancellations.Enqueue((method, DateTimeOffset.UtcNow));
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
