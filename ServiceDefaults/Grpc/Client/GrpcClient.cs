using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Polly;
using Polly.Retry;

namespace PublicSafety.ServiceDefaults.Grpc.Client;

/// <summary>
/// Calls gRPC methods over an <see cref="HttpClient"/> speaking HTTP/2 (h2c: version 2.0 exactly, no upgrade). Every failure
/// is a <see cref="GrpcCallException"/> with the status: the server's, or the one grpc-dotnet's client reports for the same
/// local condition (deadline, cancellation, unreachable server, oversized message, malformed response).
/// </summary>
public sealed class GrpcClient
{
    private static readonly MediaTypeHeaderValue GrpcContentType = new(GrpcProtocol.ContentType);
    private static readonly TransferCodingWithQualityHeaderValue Trailers = new("trailers");
    private readonly HttpClient _http;
    private readonly GrpcClientOptions _options;
    private readonly ResiliencePipeline _retry;

    public GrpcClient(HttpClient http, GrpcClientOptions options)
    {
        _http = http;
        _options = options;
        _retry = options.MaxRetries <= 0 ? ResiliencePipeline.Empty : new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = options.MaxRetries,
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = options.RetryBaseDelay,
            MaxDelay = TimeSpan.FromSeconds(5),
            ShouldHandle = args => ValueTask.FromResult(
                args.Context.Properties.GetValue(RetryAllowed, false) && args.Outcome.Exception is GrpcCallException { StatusCode: GrpcStatusCode.Unavailable }),
        }).Build();
    }

    private static readonly ResiliencePropertyKey<bool> RetryAllowed = new("grpc.retry-allowed");

    public Uri? Address => _http.BaseAddress;

    public async Task<TResponse> UnaryAsync<TRequest, TResponse>(GrpcMethod<TRequest, TResponse> method, TRequest request, GrpcCallOptions? options = null)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>, new()
    {
        options ??= new GrpcCallOptions();
        var deadline = options.Deadline ?? DateTimeOffset.UtcNow + _options.DefaultDeadline;
        var frame = Frame(request);
        using var call = new CallScope(deadline, options.CancellationToken);
        return await WithRetries(method.Idempotent, call, async token =>
        {
            using var response = await SendAsync(method.Path, frame, options, deadline, call, token);
            await using var body = await response.Content.ReadAsStreamAsync(token);
            var message = await ReadMessageAsync(body, method.ResponseParser, response, call, token);
            if (message is not null && await ReadMessageAsync(body, method.ResponseParser, response, call, token) is not null)
            {
                throw new GrpcCallException(GrpcStatusCode.Internal, "Unary call returned more than one message.");
            }

            ThrowIfNotOk(FinalStatus(response));
            return message ?? throw new GrpcCallException(GrpcStatusCode.Internal, "No message returned from method.");
        });
    }

    /// <summary>The messages of a server-streaming call. A failure before the first message may be retried; later ones end the stream.</summary>
    public async IAsyncEnumerable<TResponse> ServerStreamingAsync<TRequest, TResponse>(
        GrpcMethod<TRequest, TResponse> method, TRequest request, GrpcCallOptions? options = null)
        where TRequest : IMessage<TRequest>
        where TResponse : IMessage<TResponse>, new()
    {
        options ??= new GrpcCallOptions();
        var frame = Frame(request);
        using var call = new CallScope(options.Deadline, options.CancellationToken);
        var (response, body, first) = await WithRetries(method.Idempotent, call, async token =>
        {
            var response = await SendAsync(method.Path, frame, options, options.Deadline, call, token);
            try
            {
                var body = await response.Content.ReadAsStreamAsync(token);
                return (response, body, await ReadMessageAsync(body, method.ResponseParser, response, call, token));
            }
            catch
            {
                response.Dispose();
                throw;
            }
        });

        using (response)
        await using (body)
        {
            var message = first;
            while (message is not null)
            {
                yield return message;
                message = await Guard(call, () => ReadMessageAsync(body, method.ResponseParser, response, call, call.Token).AsTask());
            }

            ThrowIfNotOk(FinalStatus(response));
        }
    }

    /// <summary>From the trailers, or from the headers of a trailers-only response (an OK stream with no message is one).</summary>
    private static (GrpcStatusCode, string) FinalStatus(HttpResponseMessage response) =>
        StatusFrom(response.TrailingHeaders) ?? StatusFrom(response.Headers) ?? (GrpcStatusCode.Cancelled, "No grpc-status found on response.");

    private byte[] Frame<TRequest>(TRequest request) where TRequest : IMessage<TRequest>
    {
        var size = request.CalculateSize();
        if (size > _options.MaxSendMessageSize)
        {
            throw new GrpcCallException(GrpcStatusCode.ResourceExhausted, "Sending message exceeds the maximum configured message size.");
        }

        var frame = new byte[GrpcProtocol.FrameHeaderSize + size];
        GrpcProtocol.WriteFrameHeader(frame, compressed: false, size);
        request.WriteTo(frame.AsSpan(GrpcProtocol.FrameHeaderSize));
        return frame;
    }

    private async Task<T> WithRetries<T>(bool idempotent, CallScope call, Func<CancellationToken, Task<T>> attempt)
    {
        if (!idempotent)
        {
            return await Guard(call, () => attempt(call.Token));
        }

        var context = ResilienceContextPool.Shared.Get(call.Token);
        context.Properties.Set(RetryAllowed, true);
        try
        {
            return await _retry.ExecuteAsync(async ctx => await Guard(call, () => attempt(ctx.CancellationToken)), context);
        }
        catch (OperationCanceledException) when (call.Token.IsCancellationRequested)
        {
            // Cancelled during a backoff delay.
            throw call.Status();
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>Turns cancellation and transport failures into the statuses a gRPC client reports for them.</summary>
    private static async Task<T> Guard<T>(CallScope call, Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (OperationCanceledException) when (call.Token.IsCancellationRequested)
        {
            throw call.Status();
        }
        catch (HttpRequestException ex)
        {
            throw new GrpcCallException(GrpcStatusCode.Unavailable, $"Error starting gRPC call. {ex.GetType().Name}: {ex.Message}", ex);
        }
        catch (HttpProtocolException ex) when (ex.ErrorCode == 0x8)
        {
            throw new GrpcCallException(GrpcStatusCode.Cancelled, "The server cancelled the call (RST_STREAM CANCEL).", ex);
        }
        catch (IOException ex)
        {
            throw new GrpcCallException(GrpcStatusCode.Unavailable, $"Error reading next message. {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string path, byte[] frame, GrpcCallOptions options, DateTimeOffset? deadline, CallScope call, CancellationToken token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        request.Content.Headers.ContentType = GrpcContentType;
        request.Headers.TE.Add(Trailers);
        request.Headers.TryAddWithoutValidation(GrpcProtocol.AcceptEncodingHeader, GrpcProtocol.SupportedEncodings);
        if (deadline is { } d)
        {
            var remaining = d - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                throw new GrpcCallException(GrpcStatusCode.DeadlineExceeded, "Deadline Exceeded");
            }

            request.Headers.TryAddWithoutValidation(GrpcProtocol.TimeoutHeader, GrpcProtocol.FormatTimeout(remaining));
        }

        foreach (var (key, value) in options.Headers ?? new Dictionary<string, string>())
        {
            request.Headers.Remove(key);
            request.Headers.TryAddWithoutValidation(key, value);
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token);
        try
        {
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new GrpcCallException(GrpcProtocol.FromHttpStatus((int)response.StatusCode), $"Bad gRPC response. HTTP status code: {(int)response.StatusCode}");
            }

            var contentType = response.Content.Headers.ContentType?.ToString();
            if (!GrpcProtocol.IsGrpcContentType(contentType))
            {
                throw new GrpcCallException(GrpcStatusCode.Internal, $"Bad gRPC response. Invalid content-type value: {contentType}");
            }

            // Trailers-only: the status is in the headers and there is no body.
            if (StatusFrom(response.Headers) is { } status)
            {
                ThrowIfNotOk(status);
            }

            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private async ValueTask<T?> ReadMessageAsync<T>(Stream body, MessageParser<T> parser, HttpResponseMessage response, CallScope call, CancellationToken token)
        where T : IMessage<T>
    {
        var header = call.HeaderBuffer;
        var read = await body.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, token);
        if (read == 0)
        {
            return default;
        }

        if (read < header.Length || header[0] > 1)
        {
            throw new GrpcCallException(GrpcStatusCode.Internal, read < header.Length ? "Incomplete message." : "Unexpected compressed flag value in message header.");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(1));
        if (length > _options.MaxReceiveMessageSize)
        {
            throw new GrpcCallException(GrpcStatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size.");
        }

        var buffer = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            if (await body.ReadAtLeastAsync(buffer.AsMemory(0, (int)length), (int)length, throwOnEndOfStream: false, token) < length)
            {
                throw new GrpcCallException(GrpcStatusCode.Internal, "Incomplete message.");
            }

            var payload = new ReadOnlySequence<byte>(buffer, 0, (int)length);
            if (header[0] == 1)
            {
                var encoding = response.Headers.TryGetValues(GrpcProtocol.EncodingHeader, out var values) ? values.FirstOrDefault() : null;
                payload = GrpcCompression.Decompress(encoding, payload, _options.MaxReceiveMessageSize, "Response");
            }

            try
            {
                return parser.ParseFrom(payload);
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new GrpcCallException(GrpcStatusCode.Internal, "Failed to deserialize response message.", ex);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static (GrpcStatusCode Code, string Message)? StatusFrom(HttpHeaders headers)
    {
        if (!headers.TryGetValues(GrpcProtocol.StatusHeader, out var statuses))
        {
            return null;
        }

        var message = headers.TryGetValues(GrpcProtocol.MessageHeader, out var messages) ? GrpcProtocol.PercentDecode(messages.First()) : "";
        return int.TryParse(statuses.First(), out var code) && code >= 0
            ? ((GrpcStatusCode)code, message)
            : (GrpcStatusCode.Unknown, $"Unexpected grpc-status value: {statuses.First()}");
    }

    private static void ThrowIfNotOk((GrpcStatusCode Code, string Message) status)
    {
        if (status.Code != GrpcStatusCode.OK)
        {
            throw new GrpcCallException(status.Code, status.Message);
        }
    }

    /// <summary>The call's own token: the caller's cancellation and the deadline, told apart when the call ends.</summary>
    private sealed class CallScope : IDisposable
    {
        private readonly CancellationTokenSource _cts;
        private readonly CancellationToken _caller;

        public CallScope(DateTimeOffset? deadline, CancellationToken caller)
        {
            _caller = caller;
            _cts = caller.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(caller) : new CancellationTokenSource();
            if (deadline is { } d)
            {
                var remaining = d - DateTimeOffset.UtcNow;
                _cts.CancelAfter(remaining <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromMilliseconds(Math.Min(remaining.TotalMilliseconds, uint.MaxValue - 1.0)));
            }
        }

        public CancellationToken Token => _cts.Token;

        /// <summary>Where frame headers are read, one call's messages at a time.</summary>
        public byte[] HeaderBuffer { get; } = new byte[GrpcProtocol.FrameHeaderSize];

        public GrpcCallException Status() => _caller.IsCancellationRequested
            ? new GrpcCallException(GrpcStatusCode.Cancelled, "Call canceled by the client.")
            : new GrpcCallException(GrpcStatusCode.DeadlineExceeded, "Deadline Exceeded");

        public void Dispose() => _cts.Dispose();
    }
}
