using System.Net;
using PublicSafety.Grpc.Tests.Interop;
using PublicSafety.ServiceDefaults.Grpc.Client;

namespace PublicSafety.Grpc.Tests.Infrastructure;

/// <summary>A typed client of InteropTest, written the way a service writes one for a contract.</summary>
public sealed class InteropClient(GrpcClient grpc)
{
    private static readonly GrpcMethod<EchoRequest, EchoReply> EchoMethod =
        GrpcMethod.Create<EchoRequest, EchoReply>(InteropTestReflection.Descriptor, "InteropTest", "Echo");

    private static readonly GrpcMethod<EchoRequest, EchoReply> UpdateMethod =
        GrpcMethod.Create<EchoRequest, EchoReply>(InteropTestReflection.Descriptor, "InteropTest", "Update");

    private static readonly GrpcMethod<CountRequest, CountReply> CountMethod =
        GrpcMethod.Create<CountRequest, CountReply>(InteropTestReflection.Descriptor, "InteropTest", "Count");

    public Task<EchoReply> EchoAsync(EchoRequest request, GrpcCallOptions? options = null) => grpc.UnaryAsync(EchoMethod, request, options);

    public Task<EchoReply> UpdateAsync(EchoRequest request, GrpcCallOptions? options = null) => grpc.UnaryAsync(UpdateMethod, request, options);

    public IAsyncEnumerable<CountReply> CountAsync(CountRequest request, GrpcCallOptions? options = null) => grpc.ServerStreamingAsync(CountMethod, request, options);

    /// <summary>Without DI: a plain h2c HttpClient, as AddGrpcClient would configure it minus the token handler.</summary>
    public static InteropClient Create(Uri address, GrpcClientOptions? options = null) => new(new GrpcClient(
        new HttpClient(new SocketsHttpHandler())
        {
            BaseAddress = address,
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        },
        options ?? new GrpcClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(20) }));
}
