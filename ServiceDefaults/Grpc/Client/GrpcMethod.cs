using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace PublicSafety.ServiceDefaults.Grpc.Client;

/// <summary>
/// A method of a .proto service as a client calls it. Whether it may be retried comes from the contract:
/// <c>option idempotency_level = NO_SIDE_EFFECTS</c> or <c>IDEMPOTENT</c>.
/// </summary>
public sealed class GrpcMethod<TRequest, TResponse>
    where TRequest : IMessage<TRequest>
    where TResponse : IMessage<TResponse>, new()
{
    internal GrpcMethod(MethodDescriptor method)
    {
        Path = $"/{method.Service.FullName}/{method.Name}";
        ServerStreaming = method.IsServerStreaming;
        Idempotent = method.GetOptions()?.IdempotencyLevel is MethodOptions.Types.IdempotencyLevel.NoSideEffects
            or MethodOptions.Types.IdempotencyLevel.Idempotent;
    }

    public string Path { get; }

    public bool ServerStreaming { get; }

    public bool Idempotent { get; }

    internal MessageParser<TResponse> ResponseParser { get; } = new(() => new TResponse());
}

public static class GrpcMethod
{
    /// <summary><c>GrpcMethod.Create&lt;FindCamerasNearRequest, FindCamerasNearResponse&gt;(CameraDirectoryReflection.Descriptor, "CameraDirectory", "FindCamerasNear")</c>.</summary>
    public static GrpcMethod<TRequest, TResponse> Create<TRequest, TResponse>(FileDescriptor file, string service, string method)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>, new()
    {
        var descriptor = file.Services.FirstOrDefault(s => s.Name == service)?.FindMethodByName(method)
            ?? throw new ArgumentException($"{file.Name} has no method {service}/{method}.", nameof(method));
        if (descriptor.IsClientStreaming || descriptor.InputType.ClrType != typeof(TRequest) || descriptor.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException($"{service}/{method} takes {descriptor.InputType.ClrType?.Name} and returns {descriptor.OutputType.ClrType?.Name}.", nameof(method));
        }

        return new GrpcMethod<TRequest, TResponse>(descriptor);
    }
}

/// <summary>Per-call settings.</summary>
public sealed record GrpcCallOptions
{
    /// <summary>When the caller stops waiting; sent as <c>grpc-timeout</c>. Null: the client's default for unary calls, none for streams.</summary>
    public DateTimeOffset? Deadline { get; init; }

    public CancellationToken CancellationToken { get; init; }

    /// <summary>Request metadata. An <c>authorization</c> entry here replaces the service's own token (forwarding must be explicit).</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public static GrpcCallOptions WithTimeout(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        new() { Deadline = DateTimeOffset.UtcNow + timeout, CancellationToken = cancellationToken };
}

/// <summary>Configuration section <c>Grpc:Client</c>.</summary>
public sealed class GrpcClientOptions
{
    public const string Section = "Grpc:Client";

    /// <summary>Deadline of unary calls that set none: a service-to-service call never waits forever.</summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    public int MaxSendMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>Retries of idempotent methods that answered UNAVAILABLE (or could not be reached).</summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);
}
