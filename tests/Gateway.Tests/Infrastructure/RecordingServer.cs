using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using PublicSafety.Testing;

namespace PublicSafety.Gateway.Tests.Infrastructure;

/// <summary>What a destination received from the gateway.</summary>
public sealed record RecordedRequest(string Method, string Path, string Protocol, IReadOnlyDictionary<string, string> Headers, long BodyLength)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A stand-in destination: a real Kestrel server on loopback, with an HTTP/1.1 endpoint for REST and an h2c endpoint for
/// gRPC, that records every request and answers 200 (the gRPC way on the h2c endpoint, SERVING to a health check). Tests
/// find their own requests by the <see cref="TestIdHeader"/> they send.
/// </summary>
public sealed class RecordingServer : IAsyncDisposable
{
    public const string TestIdHeader = "X-Test-Id";

    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private WebApplication? _app;

    private RecordingServer(int httpPort, int h2cPort)
    {
        Http = new Uri($"http://127.0.0.1:{httpPort}");
        H2c = new Uri($"http://127.0.0.1:{h2cPort}");
    }

    public Uri Http { get; }

    public Uri H2c { get; }

    public static async Task<RecordingServer> StartAsync()
    {
        var server = new RecordingServer(FreePort.Next(), FreePort.Next());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, server.Http.Port, o => o.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, server.H2c.Port, o => o.Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        app.Run(server.HandleAsync);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        server._app = app;
        return server;
    }

    /// <summary>The requests that carried <paramref name="testId"/>.</summary>
    public IReadOnlyList<RecordedRequest> ReceivedBy(string testId) =>
        _requests.Where(r => r.Header(TestIdHeader) == testId).ToArray();

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await app.DisposeAsync();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task HandleAsync(HttpContext context)
    {
        // Reading the whole body is what makes a streamed, oversized request fail at the gateway.
        var buffer = new byte[16 * 1024];
        long length = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer, context.RequestAborted)) > 0)
        {
            length += read;
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue(new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
            context.Request.Protocol, headers, length));

        // Headers a destination might leak about itself; the gateway must not pass them on.
        context.Response.Headers["X-Powered-By"] = "RecordingServer";
        if (context.Request.ContentType == "application/grpc")
        {
            context.Response.ContentType = "application/grpc";
            if (context.Response.SupportsTrailers())
            {
                context.Response.AppendTrailer("grpc-status", "0");
            }

            // grpc.health.v1 Check answers SERVING (field 1 = 1), as a ready service does; any other method an empty message.
            byte[] message = context.Request.Path == "/grpc.health.v1.Health/Check" ? [0x08, 0x01] : [];
            await context.Response.Body.WriteAsync((byte[])[0, 0, 0, 0, (byte)message.Length, .. message]);
            return;
        }

        await context.Response.WriteAsJsonAsync(new { received = context.Request.Path.Value });
    }
}
