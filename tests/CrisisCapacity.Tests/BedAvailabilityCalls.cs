using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using PublicSafety.Contracts.Crisis.V1;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.CrisisCapacity.Tests;

/// <summary>One unary FindAvailableBeds call over h2c, framed by hand (the tests need no gRPC client library).</summary>
internal static class BedAvailabilityCalls
{
    public static async Task<(string Status, FindAvailableBedsResponse? Response)> FindAsync(CrisisService crisis, TokenRequest token, FindAvailableBedsRequest request)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var payload = request.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        using var message = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{crisis.GrpcPort}/publicsafety.crisis.v1.BedAvailability/FindAvailableBeds")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        message.Headers.TryAddWithoutValidation("te", "trailers");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Create(token));

        using var response = await http.SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.Single()
            : response.Headers.GetValues("grpc-status").Single();
        if (status != "0")
        {
            return (status, null);
        }

        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1));
        return (status, FindAvailableBedsResponse.Parser.ParseFrom(body, 5, length));
    }
}
