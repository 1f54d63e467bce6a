using System.Buffers;
using System.IO.Compression;

namespace PublicSafety.ServiceDefaults.Grpc;

/// <summary>
/// Message decompression for peers that compress (gzip and deflate, as grpc-dotnet's server accepts). We never compress
/// what we send: the payloads here are small and CPU matters more than bytes on a cluster network.
/// </summary>
internal static class GrpcCompression
{
    public static GrpcCallException MissingEncoding(string who) =>
        new(GrpcStatusCode.Internal, $"{who} did not include grpc-encoding value with compressed message.");

    /// <summary>Returns the decompressed message, or throws the status the protocol prescribes.</summary>
    public static ReadOnlySequence<byte> Decompress(string? encoding, ReadOnlySequence<byte> payload, int maxSize, string who)
    {
        if (string.IsNullOrEmpty(encoding))
        {
            throw MissingEncoding(who);
        }

        if (string.Equals(encoding, "identity", StringComparison.Ordinal))
        {
            throw new GrpcCallException(GrpcStatusCode.Internal, $"{who} sent 'identity' grpc-encoding value with compressed message.");
        }

        using var input = new MemoryStream(payload.ToArray(), writable: false);
        using Stream decompressor = encoding switch
        {
            "gzip" => new GZipStream(input, CompressionMode.Decompress),
            "deflate" => new ZLibStream(input, CompressionMode.Decompress),
            _ => throw new GrpcCallException(GrpcStatusCode.Unimplemented,
                $"Unsupported grpc-encoding value '{encoding}'. Supported encodings: identity, gzip, deflate"),
        };

        // Bounded copy: a small compressed frame must not expand past the size limit (a zip bomb).
        using var output = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = ReadOrFail(decompressor, buffer)) > 0)
            {
                if (output.Length + read > maxSize)
                {
                    throw new GrpcCallException(GrpcStatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.");
                }

                output.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new ReadOnlySequence<byte>(output.ToArray());
    }

    private static int ReadOrFail(Stream stream, byte[] buffer)
    {
        try
        {
            return stream.Read(buffer, 0, buffer.Length);
        }
        catch (InvalidDataException ex)
        {
            throw new GrpcCallException(GrpcStatusCode.Internal, "Failed to decompress message.", ex);
        }
    }
}
