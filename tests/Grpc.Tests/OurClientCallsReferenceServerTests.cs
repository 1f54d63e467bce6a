using Google.Protobuf;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PublicSafety.Grpc.Tests.Infrastructure;
using PublicSafety.Grpc.Tests.Interop;

namespace PublicSafety.Grpc.Tests;

/// <summary>
/// The client a service gets from AddGrpcServiceClient (grpc-dotnet, with the platform's deadline, retry and token settings)
/// calls a grpc-js server.
/// </summary>
public sealed class OurClientCallsReferenceServerTests : IAsyncLifetime
{
    private NodeServer _server = null!;
    private WebApplication _host = null!;
    private InteropTest.InteropTestClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await Node.StartServerAsync();
        _host = CallingService.Build(Environments.Development, new() { ["services:interop:grpc:0"] = _server.Address.ToString() });
        _client = _host.Services.GetRequiredService<InteropTest.InteropTestClient>();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task AUnaryCallCarriesPayloadMetadataAndDeadline()
    {
        var reply = await _client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFromUtf8("ping") }, new Metadata
        {
            { "x-custom", "hello" },
            { "authorization", "Bearer forwarded-on-purpose" },
        }, deadline: DateTime.UtcNow.AddSeconds(20));

        Assert.Equal("ping", reply.Payload.ToStringUtf8());
        Assert.Equal("hello", reply.CustomHeader);
        Assert.Equal("Bearer forwarded-on-purpose", reply.Authorization);
        Assert.InRange(reply.DeadlineRemainingMs, 15_000, 20_000);
    }

    [Fact]
    public async Task AUnaryCallWithoutADeadlineGetsTheDefaultOne()
    {
        var reply = await _client.EchoAsync(new EchoRequest());

        Assert.InRange(reply.DeadlineRemainingMs, 25_000, 30_000);
    }

    [Fact]
    public async Task AServerStreamIsReadToTheEnd()
    {
        using var call = _client.Count(new CountRequest { Count = 50 });

        var received = await call.ResponseStream.ReadAllAsync().Select(r => r.N).ToListAsync();

        Assert.Equal(Enumerable.Range(1, 50), received);
    }

    [Fact]
    public async Task AnErrorAfterStreamedMessagesIsThrownAfterThem()
    {
        var received = 0;
        using var call = _client.Count(new CountRequest { Count = 3, FailCode = 9, FailMessage = "précondition ratée 100%" });
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync())
            {
                received++;
            }
        });

        Assert.Equal(3, received);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("précondition ratée 100%", error.Status.Detail);
    }

    [Fact]
    public async Task AnExpiredDeadlineIsDeadlineExceeded()
    {
        var started = DateTimeOffset.UtcNow;

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.EchoAsync(new EchoRequest { DelayMs = 10_000 }, deadline: DateTime.UtcNow.AddMilliseconds(300)));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task CancellingTheCallCancelsItOnTheServer()
    {
        using var cts = new CancellationTokenSource();
        using var call = _client.Count(new CountRequest { Count = 1000, IntervalMs = 50 }, cancellationToken: cts.Token);
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var reply in call.ResponseStream.ReadAllAsync())
            {
                if (reply.N == 2)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        Assert.True(await PublicSafety.Testing.Eventually.HoldsAsync(() => Task.FromResult(_server.Lines.Contains("CANCELLED Count")), TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task AServerStatusArrivesAsAnExceptionWithCodeAndMessage()
    {
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.EchoAsync(new EchoRequest { FailCode = 5, FailMessage = "Камера не найдена" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("Камера не найдена", error.Status.Detail);
    }

    [Fact]
    public async Task OversizedMessagesAreResourceExhaustedInBothDirections()
    {
        var tooBigToSend = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.EchoAsync(new EchoRequest { Payload = ByteString.CopyFrom(new byte[5 * 1024 * 1024]) }));
        var tooBigToReceive = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.EchoAsync(new EchoRequest { ReplySize = 5 * 1024 * 1024 }));

        Assert.Equal(StatusCode.ResourceExhausted, tooBigToSend.StatusCode);
        Assert.Equal("Sending message exceeds the maximum configured message size.", tooBigToSend.Status.Detail);
        Assert.Equal(StatusCode.ResourceExhausted, tooBigToReceive.StatusCode);
        Assert.Equal("Received message exceeds the maximum configured message size.", tooBigToReceive.Status.Detail);
    }

    [Fact]
    public async Task UnavailableIsRetriedForIdempotentMethodsOnly()
    {
        var key = Guid.NewGuid().ToString();
        var reply = await _client.EchoAsync(new EchoRequest { Key = key, FailCode = 14, FailTimes = 2, FailMessage = "draining" });
        var notRetried = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.UpdateAsync(new EchoRequest { Key = key + "-update", FailCode = 14, FailTimes = 1 }));
        var otherCodesNotRetried = await Assert.ThrowsAsync<RpcException>(async () =>
            await _client.EchoAsync(new EchoRequest { Key = key + "-internal", FailCode = 13, FailTimes = 1 }));
        var confirm = await _client.UpdateAsync(new EchoRequest { Key = key + "-update" });
        var confirmInternal = await _client.EchoAsync(new EchoRequest { Key = key + "-internal" });

        Assert.Equal(3, reply.Attempt);
        Assert.Equal(StatusCode.Unavailable, notRetried.StatusCode);
        Assert.Equal(2, confirm.Attempt);
        Assert.Equal(StatusCode.Internal, otherCodesNotRetried.StatusCode);
        Assert.Equal(2, confirmInternal.Attempt);
    }

    [Fact]
    public async Task AnUnreachableServerIsUnavailable()
    {
        await using var host = CallingService.Build(Environments.Development, new()
        {
            ["services:interop:grpc:0"] = $"http://127.0.0.1:{PublicSafety.Testing.FreePort.Next()}",
            ["Grpc:Client:MaxRetries"] = "1",
        });
        var client = host.Services.GetRequiredService<InteropTest.InteropTestClient>();

        var error = await Assert.ThrowsAsync<RpcException>(async () => await client.EchoAsync(new EchoRequest()));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
    }
}
