using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PublicSafety.DevToken;
using PublicSafety.Grpc.Tests.Interop;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Grpc.Server;
using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests.Infrastructure;

/// <summary>
/// A service's gRPC server as ServiceDefaults sets it up (AddGrpcServer, grpc-dotnet) serving InteropTest on real loopback
/// sockets, in the test process so that tests can see what its handlers saw (cancellation, deadlines). Echo needs
/// cameras.read; Count any valid token; Update is deliberately not implemented.
/// </summary>
public sealed class InteropServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InteropServer(WebApplication app, int grpcPort, int restPort, InteropState state)
    {
        _app = app;
        GrpcPort = grpcPort;
        RestPort = restPort;
        State = state;
    }

    public int GrpcPort { get; }

    public int RestPort { get; }

    public string Address => $"127.0.0.1:{GrpcPort}";

    public Uri GrpcUri => new($"http://{Address}");

    private InteropState State { get; }

    /// <summary>Handlers whose CancellationToken fired, by method, with the time it fired.</summary>
    public ConcurrentQueue<(string Method, DateTimeOffset At)> Cancellations => State.Cancellations;

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
        var state = new InteropState();
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcHealthAndReflection();
        app.MapGrpcService<InteropService>();
        await app.StartAsync();
        return new InteropServer(app, grpcPort, restPort, state);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    internal sealed class InteropState
    {
        public ConcurrentDictionary<string, int> Attempts { get; } = new();

        public ConcurrentQueue<(string Method, DateTimeOffset At)> Cancellations { get; } = new();
    }

    private sealed class InteropService(InteropState state) : InteropTest.InteropTestBase
    {
        [Authorize(Roles.CamerasRead)]
        public override async Task<EchoReply> Echo(EchoRequest request, ServerCallContext context)
        {
            var attempt = request.Key.Length > 0 ? state.Attempts.AddOrUpdate(request.Key, 1, (_, n) => n + 1) : 1;
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
                throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
            }

            return new EchoReply
            {
                Payload = request.ReplySize > 0 ? ByteString.CopyFrom(new byte[request.ReplySize]) : request.Payload,
                Authorization = context.RequestHeaders.GetValue("authorization") ?? "",
                Attempt = attempt,
                DeadlineRemainingMs = context.Deadline == DateTime.MaxValue ? -1 : (long)(context.Deadline - DateTime.UtcNow).TotalMilliseconds,
                CustomHeader = context.RequestHeaders.GetValue("x-custom") ?? "",
            };
        }

        public override async Task Count(CountRequest request, IServerStreamWriter<CountReply> stream, ServerCallContext context)
        {
            // The cancellation may find the handler writing as well as waiting.
            await Observe("Count", context, WriteAll());

            if (request.FailCode != 0)
            {
                throw new RpcException(new Status((StatusCode)request.FailCode, request.FailMessage));
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

        private async Task Observe(string method, ServerCallContext context, Task work)
        {
            try
            {
                await work;
            }
            catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
            {
                state.Cancellations.Enqueue((method, DateTimeOffset.UtcNow));
                throw;
            }
        }
    }
}
