using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace PublicSafety.ServiceDefaults.Grpc.Server;

/// <summary>Reads the single request message of a unary or server-streaming call from the request body.</summary>
internal static class GrpcRequestReader
{
    public static async ValueTask<T> ReadSingleMessageAsync<T>(HttpContext http, MessageParser<T> parser, int maxSize, CancellationToken cancellationToken)
        where T : IMessage<T>
    {
        var reader = http.Request.BodyReader;
        T? message = default;
        var haveMessage = false;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            var consumed = buffer.Start;
            try
            {
                if (!haveMessage && TryReadFrame(buffer, http, maxSize, out var payload, out var frameEnd))
                {
                    message = Parse(parser, payload);
                    haveMessage = true;
                    consumed = frameEnd;
                    buffer = buffer.Slice(frameEnd);
                }

                if (haveMessage && !buffer.IsEmpty)
                {
                    throw new GrpcCallException(GrpcStatusCode.Internal, "Additional data after the message received.");
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return haveMessage ? message! : throw new GrpcCallException(GrpcStatusCode.Internal, "Incomplete message.");
                }
            }
            finally
            {
                // Examined everything: wait for more data rather than being handed the same partial frame again.
                reader.AdvanceTo(consumed, result.Buffer.End);
            }
        }
    }

    private static bool TryReadFrame(ReadOnlySequence<byte> buffer, HttpContext http, int maxSize, out ReadOnlySequence<byte> payload, out SequencePosition end)
    {
        payload = default;
        end = default;
        if (buffer.Length < GrpcProtocol.FrameHeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[GrpcProtocol.FrameHeaderSize];
        buffer.Slice(0, GrpcProtocol.FrameHeaderSize).CopyTo(header);
        var compressed = header[0] switch
        {
            0 => false,
            1 => true,
            _ => throw new GrpcCallException(GrpcStatusCode.Internal, "Unexpected compressed flag value in message header."),
        };
        var length = BinaryPrimitives.ReadUInt32BigEndian(header[1..]);

        // Checked on the header alone: an oversized message is refused before its body is buffered.
        if (length > maxSize)
        {
            throw new GrpcCallException(GrpcStatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.");
        }

        if (buffer.Length < GrpcProtocol.FrameHeaderSize + length)
        {
            return false;
        }

        payload = buffer.Slice(GrpcProtocol.FrameHeaderSize, length);
        end = payload.End;
        if (compressed)
        {
            payload = GrpcCompression.Decompress(http.Request.Headers[GrpcProtocol.EncodingHeader].ToString(), payload, maxSize, "Request");
        }

        return true;
    }

    private static T Parse<T>(MessageParser<T> parser, ReadOnlySequence<byte> payload) where T : IMessage<T>
    {
        try
        {
            return parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new GrpcCallException(GrpcStatusCode.Internal, "Failed to deserialize request message.", ex);
        }
    }
}
