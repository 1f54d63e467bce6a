namespace PublicSafety.ServiceDefaults.Grpc.Server;

/// <summary>Configuration section <c>Grpc</c> (see ServiceDefaults/Grpc/README.md for the endpoint keys).</summary>
public sealed class GrpcServerOptions
{
    public const string Section = "Grpc";

    /// <summary>4 MiB, grpc-dotnet's and grpc-js's default for received messages.</summary>
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary>Largest request message accepted (after decompression); larger is RESOURCE_EXHAUSTED.</summary>
    public int MaxReceiveMessageSize { get; set; } = DefaultMaxMessageSize;

    /// <summary>
    /// Largest response message sent; a handler returning a larger one ends the call with RESOURCE_EXHAUSTED. grpc-dotnet
    /// sets no send limit by default: a query answering a whole region must not stream 100 MiB in one message.
    /// </summary>
    public int MaxSendMessageSize { get; set; } = DefaultMaxMessageSize;
}
