namespace PublicSafety.ServiceDefaults.Grpc.Server;

/// <summary>Configuration section <c>Grpc</c> (see ServiceDefaults/Grpc/README.md for the endpoint keys).</summary>
public sealed class GrpcServerOptions
{
    public const string Section = "Grpc";

    /// <summary>Largest request message accepted (after decompression); larger is RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;

    /// <summary>Largest response message sent; a handler returning a larger one ends the call with RESOURCE_EXHAUSTED.</summary>
    public int MaxSendMessageSize { get; set; } = GrpcProtocol.DefaultMaxMessageSize;
}
