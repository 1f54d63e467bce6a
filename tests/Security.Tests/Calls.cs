using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace PublicSafety.Security.Tests;

/// <summary>A request to one service, REST or gRPC.</summary>
public abstract record Call
{
    public abstract string Describe();

    /// <summary>Everything the request says, as text: what an answer may repeat without telling the caller anything new.</summary>
    public abstract string Text();
}

/// <summary>A REST request; <see cref="Raw"/> (with <see cref="ContentType"/>) replaces <see cref="Json"/> for bodies JSON can't say.</summary>
public sealed record HttpCall(HttpMethod Method, string Path, JsonNode? Json = null) : Call
{
    public string? IdempotencyKey { get; init; }

    public byte[]? Raw { get; init; }

    public string? ContentType { get; init; }

    public static HttpCall Get(string path) => new(HttpMethod.Get, path);

    public static HttpCall Post(string path, object? body = null, string? key = null) => new(HttpMethod.Post, path, Node(body)) { IdempotencyKey = key };

    public static HttpCall Put(string path, object? body = null) => new(HttpMethod.Put, path, Node(body));

    public static HttpCall Patch(string path, object? body) => new(HttpMethod.Patch, path, Node(body));

    public static HttpCall Delete(string path) => new(HttpMethod.Delete, path);

    public static JsonNode? Node(object? body) => body switch
    {
        null => null,
        JsonNode node => node,
        _ => System.Text.Json.JsonSerializer.SerializeToNode(body, System.Text.Json.JsonSerializerOptions.Web),
    };

    /// <summary>The method and path, and what tells apart two calls of one operation: the key and the region the body names.</summary>
    public override string Describe() =>
        $"{Method} {Path}{(IdempotencyKey is null ? "" : $" key {IdempotencyKey}")}{(Json is JsonObject o && o["region"] is JsonValue region ? $" region {region}" : "")}";

    public override string Text() =>
        $"{Uri.UnescapeDataString(Path)}\n{Json?.ToJsonString()}\n{IdempotencyKey}\n{(Raw is null ? "" : Encoding.UTF8.GetString(Raw))}";
}

/// <summary>A gRPC call: <c>/package.Service/Method</c>, the request message, and the shape of the answer.</summary>
public sealed record GrpcCall(string Path, IMessage Request, MessageDescriptor Output, bool Streaming = false) : Call
{
    /// <summary>The frame sent instead of <see cref="Request"/>, for malformed input.</summary>
    public byte[]? Frame { get; init; }

    /// <summary>Sent as grpc-timeout: a server stream that would run for ever (Health/Watch) ends at it with DEADLINE_EXCEEDED.</summary>
    public string Timeout { get; init; } = "20S";

    public override string Describe() => $"gRPC {Path} {(Text() is { Length: > 100 } t ? t[..100] + "…" : Text())}";

    public override string Text() => JsonFormatter.Default.Format(Request);
}

/// <summary>
/// An answer. gRPC answers carry their grpc-status and a status code on the REST scale (PERMISSION_DENIED 403, NOT_FOUND 404,
/// INVALID_ARGUMENT 400, UNKNOWN and INTERNAL 500, ...), so that one set of checks reads both; their body is the answer's
/// messages as JSON.
/// </summary>
public sealed record Reply(int Status, string? MediaType, string Body, int? GrpcStatus = null, string? GrpcMessage = null)
{
    public bool IsSuccess => Status is >= 200 and < 300;

    public bool IsProblem => GrpcStatus is not null ? GrpcStatus != 0 : MediaType == "application/problem+json";

    public string Summary => GrpcStatus is { } g ? $"grpc-status {g} {GrpcMessage}" : $"{Status} {MediaType}";
}

/// <summary>Sends calls with a plain HttpClient: HTTP/1.1 for REST, h2c with gRPC framing for gRPC (no gRPC client library).</summary>
public static class Send
{
    private static readonly HttpClient Rest = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };

    private static readonly HttpClient H2c = new(new SocketsHttpHandler()) { Timeout = TimeSpan.FromSeconds(60) };

    public static Task<Reply> Async(Service service, Call call, Caller caller) => Async(service, call, Callers.Token(service, caller));

    public static Task<Reply> Async(Service service, Call call, string? token) => call switch
    {
        HttpCall http => HttpAsync(service, http, token),
        GrpcCall grpc => GrpcAsync(service, grpc, token),
        _ => throw new ArgumentException(call.GetType().Name),
    };

    private static async Task<Reply> HttpAsync(Service service, HttpCall call, string? token)
    {
        using var request = new HttpRequestMessage(call.Method, new Uri(service.Process.BaseAddress, call.Path));
        if (call.Raw is not null)
        {
            request.Content = new ByteArrayContent(call.Raw);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(call.ContentType ?? "application/json");
        }
        else if (call.Json is not null)
        {
            request.Content = new StringContent(call.Json.ToJsonString(), Encoding.UTF8, "application/json");
        }

        if (call.IdempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", call.IdempotencyKey);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Rest.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Reply((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    private static async Task<Reply> GrpcAsync(Service service, GrpcCall call, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(service.GrpcUri, call.Path))
        {
            Content = new ByteArrayContent(call.Frame ?? Frame(call.Request.ToByteArray())),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        request.Headers.TE.Add(new TransferCodingWithQualityHeaderValue("trailers"));
        request.Headers.TryAddWithoutValidation("grpc-timeout", call.Timeout);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await H2c.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        string? Read(string name) =>
            response.Headers.TryGetValues(name, out var h) ? h.First() : response.TrailingHeaders.TryGetValues(name, out var t) ? t.First() : null;
        var grpcStatus = int.TryParse(Read("grpc-status"), out var s) ? s : (int?)null;
        var message = Read("grpc-message") is { } m ? Uri.UnescapeDataString(m) : null;
        var status = response.StatusCode != HttpStatusCode.OK ? (int)response.StatusCode : grpcStatus is { } g ? OnRestScale(g) : 500;
        return new Reply(status, response.Content.Headers.ContentType?.MediaType, Messages(bytes, call.Output), grpcStatus, message);
    }

    public static byte[] Frame(byte[] payload, int? declaredLength = null)
    {
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)(declaredLength ?? payload.Length));
        payload.CopyTo(frame, 5);
        return frame;
    }

    /// <summary>The answer's messages as JSON (an array); what can't be read is kept as text so that a check still sees it.</summary>
    private static string Messages(byte[] body, MessageDescriptor output)
    {
        var messages = new List<string>();
        for (var at = 0; at + 5 <= body.Length;)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(at + 1));
            if (at + 5 + length > body.Length)
            {
                break;
            }

            try
            {
                messages.Add(JsonFormatter.Default.Format(output.Parser.ParseFrom(body, at + 5, length)));
            }
            catch (InvalidProtocolBufferException)
            {
                messages.Add(JsonValue.Create(Encoding.UTF8.GetString(body, at + 5, length)).ToJsonString());
            }

            at += 5 + length;
        }

        return "[" + string.Join(",", messages) + "]";
    }

    private static int OnRestScale(int grpcStatus) => grpcStatus switch
    {
        0 => 200,
        1 => 499,
        3 or 11 => 400,
        4 => 504,
        5 => 404,
        6 or 10 => 409,
        7 => 403,
        8 => 429,
        9 => 412,
        12 => 501,
        14 => 503,
        16 => 401,
        _ => 500,
    };
}
