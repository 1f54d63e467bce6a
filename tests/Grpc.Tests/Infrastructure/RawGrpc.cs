using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;

namespace PublicSafety.Grpc.Tests.Infrastructure;

/// <summary>What came back from a hand-made request: HTTP status, grpc-status/-message (headers or trailers), body length.</summary>
public sealed record RawResponse(HttpStatusCode HttpStatus, string? GrpcStatus, string? GrpcMessage, int BodyLength, string? ContentType);

/// <summary>Hand-made gRPC requests over h2c, for input no well-behaved client would send.</summary>
public static class RawGrpc
{
    public static HttpClient CreateClient(Uri address) => new(new SocketsHttpHandler())
    {
        BaseAddress = address,
        DefaultRequestVersion = HttpVersion.Version20,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    };

    public static byte[] Frame(IMessage message, bool compressedFlag = false) => Frame(message.ToByteArray(), compressedFlag);

    public static byte[] Frame(byte[] payload, bool compressedFlag = false, int? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        frame[0] = compressedFlag ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(declaredLength ?? payload.Length));
        payload.CopyTo(frame, 5);
        return frame;
    }

    public static async Task<RawResponse> PostAsync(HttpClient client, string path, byte[] body,
        string contentType = "application/grpc", IDictionary<string, string>? headers = null)
    {
        // DefaultRequestVersion applies only to HttpClient's shorthand methods, not to a request message made by hand.
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        foreach (var (key, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(key, value);
        }

        using var response = await client.SendAsync(request);
        var content = await response.Content.ReadAsByteArrayAsync();
        string? Read(string name) =>
            response.Headers.TryGetValues(name, out var h) ? h.First()
            : response.TrailingHeaders.TryGetValues(name, out var t) ? t.First()
            : null;
        return new RawResponse(response.StatusCode, Read("grpc-status"), Read("grpc-message"), content.Length, response.Content.Headers.ContentType?.MediaType);
    }
}
