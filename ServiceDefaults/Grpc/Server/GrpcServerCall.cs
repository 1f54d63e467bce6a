using System.Diagnostics;
using System.Globalization;
using Google.Protobuf;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace PublicSafety.ServiceDefaults.Grpc.Server;

/// <summary>
/// One call on the server: the deadline, writing messages and the status, mapping failures. The status goes into the
/// trailers, or into the headers of a trailers-only response when no message was sent. Writes and the deadline's
/// early completion are serialised by a lock, so a handler that ignores its token can't write after the status.
/// </summary>
internal sealed class GrpcServerCall : IAsyncDisposable
{
    private const int Http2NoError = 0;
    private static readonly Dictionary<string, string> EmptyTrailers = [];

    private readonly HttpContext _http;
    private readonly GrpcServerOptions _options;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _callCts;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ITimer? _deadlineTimer;
    private Task _deadlineTask = Task.CompletedTask;
    private volatile bool _deadlineExceeded;
    private bool _completed;
    private bool _messageWritten;

    private GrpcServerCall(HttpContext http, string method, GrpcServerOptions options, ILogger logger, TimeSpan? timeout)
    {
        _http = http;
        _options = options;
        _logger = logger;
        _callCts = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        DateTimeOffset? deadline = null;
        if (timeout is { } t)
        {
            // CancelAfter's limit (~49 days) is far beyond any real deadline; longer ones are treated as that.
            var bounded = TimeSpan.FromMilliseconds(Math.Min(t.TotalMilliseconds, uint.MaxValue - 1.0));
            deadline = DateTimeOffset.UtcNow + bounded;
            _deadlineTimer = TimeProvider.System.CreateTimer(_ => _deadlineTask = DeadlineExceededAsync(), null, bounded, Timeout.InfiniteTimeSpan);
        }

        Context = new GrpcCallContext(http, method, deadline, _callCts.Token);
    }

    public GrpcCallContext Context { get; }

    public static GrpcServerCall Start(HttpContext http, string method, GrpcServerOptions options, ILogger logger)
    {
        TimeSpan? timeout = null;
        if (http.Request.Headers.TryGetValue(GrpcProtocol.TimeoutHeader, out var value))
        {
            if (GrpcProtocol.TryParseTimeout(value.ToString(), out var parsed) && parsed > TimeSpan.Zero)
            {
                timeout = parsed;
            }
            else
            {
                logger.LogDebug("Ignoring invalid grpc-timeout {GrpcTimeout}", value.ToString());
            }
        }

        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.EncodingHeader] = "identity";
        http.Response.Headers[GrpcProtocol.AcceptEncodingHeader] = GrpcProtocol.SupportedEncodings;
        return new GrpcServerCall(http, method, options, logger, timeout);
    }

    public async Task WriteMessageAsync<T>(T message, bool flush) where T : IMessage<T>
    {
        var size = message.CalculateSize();
        if (size > _options.MaxSendMessageSize)
        {
            throw new GrpcCallException(GrpcStatusCode.ResourceExhausted, "Sending message exceeds the maximum configured message size.");
        }

        await _lock.WaitAsync(Context.CancellationToken);
        try
        {
            if (_completed)
            {
                throw new OperationCanceledException("The call is complete.", Context.CancellationToken);
            }

            // A unary response is not started here: headers, message and trailers then leave in one write at the end.
            var response = _http.Response;
            if (flush && !response.HasStarted)
            {
                await response.StartAsync(Context.CancellationToken);
            }

            var writer = response.BodyWriter;
            var span = writer.GetSpan(GrpcProtocol.FrameHeaderSize + size);
            GrpcProtocol.WriteFrameHeader(span, compressed: false, size);
            message.WriteTo(span.Slice(GrpcProtocol.FrameHeaderSize, size));
            writer.Advance(GrpcProtocol.FrameHeaderSize + size);
            _messageWritten = true;
            if (flush)
            {
                await writer.FlushAsync(Context.CancellationToken);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Ends the call with OK, or with the status <paramref name="exception"/> maps to.</summary>
    public async Task CompleteAsync(Exception? exception)
    {
        var (code, message) = (GrpcStatusCode.OK, (string?)null);
        if (exception is not null)
        {
            (code, message) = StatusOf(exception);
        }

        await _lock.WaitAsync(CancellationToken.None);
        try
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            if (!_http.RequestAborted.IsCancellationRequested)
            {
                try
                {
                    WriteStatus(code, message);
                }
                catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
                {
                    _logger.LogDebug(ex, "Could not send the status of gRPC call {GrpcMethod}", Context.Method);
                }
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    private (GrpcStatusCode, string?) StatusOf(Exception exception)
    {
        if (exception is OperationCanceledException && _deadlineExceeded)
        {
            return (GrpcStatusCode.DeadlineExceeded, "Deadline Exceeded");
        }

        if (exception is OperationCanceledException or IOException && _http.RequestAborted.IsCancellationRequested)
        {
            _logger.LogDebug("gRPC call {GrpcMethod} cancelled by the client", Context.Method);
            return (GrpcStatusCode.Cancelled, "Call canceled by the client.");
        }

        var (code, message, unexpected) = GrpcExceptionMapper.Map(exception);
        if (unexpected)
        {
            _logger.LogError(exception, "gRPC call {GrpcMethod} failed", Context.Method);
        }
        else
        {
            _logger.LogDebug("gRPC call {GrpcMethod} ended with {GrpcStatus}", Context.Method, code);
        }

        return (code, message);
    }

    /// <summary>Trailers-only when nothing was sent yet (the status rides in the response headers), trailers otherwise.</summary>
    private void WriteStatus(GrpcStatusCode code, string? message)
    {
        var response = _http.Response;
        var destination = response.HasStarted || _messageWritten
            ? _http.Features.Get<IHttpResponseTrailersFeature>()?.Trailers ?? throw new InvalidOperationException("HTTP/2 trailers are not supported here.")
            : response.Headers;
        foreach (var (key, value) in Context.ResponseTrailersIfAny ?? EmptyTrailers)
        {
            destination[key] = value;
        }

        destination[GrpcProtocol.StatusHeader] = ((int)code).ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(message))
        {
            destination[GrpcProtocol.MessageHeader] = GrpcProtocol.PercentEncode(message);
        }

        var activity = Activity.Current;
        activity?.SetTag("rpc.grpc.status_code", (int)code);
        if (code != GrpcStatusCode.OK)
        {
            activity?.SetStatus(ActivityStatusCode.Error);
        }
    }

    /// <summary>
    /// As grpc-dotnet does: cancel the handler's token, send DEADLINE_EXCEEDED at once whatever the handler is doing,
    /// then reset the stream (NO_ERROR) so the client stops sending.
    /// </summary>
    private async Task DeadlineExceededAsync()
    {
        // Cancel first: a handler blocked in a flush (a client that stopped reading) holds the lock until its token fires.
        _deadlineExceeded = true;
        _callCts.Cancel();
        await _lock.WaitAsync(CancellationToken.None);
        try
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            _logger.LogDebug("gRPC call {GrpcMethod} exceeded its deadline", Context.Method);
            WriteStatus(GrpcStatusCode.DeadlineExceeded, "Deadline Exceeded");
            await _http.Response.CompleteAsync();
            _http.Features.Get<IHttpResetFeature>()?.Reset(Http2NoError);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or ObjectDisposedException)
        {
            _logger.LogDebug(ex, "Could not complete gRPC call {GrpcMethod} at its deadline", Context.Method);
        }
        finally
        {
            _lock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_deadlineTimer is not null)
        {
            await _deadlineTimer.DisposeAsync();
        }

        // The timer callback may still be touching the response: it must finish before the request ends.
        await _deadlineTask;
        _callCts.Dispose();
    }

    /// <summary>An answer outside a call (wrong content type, wrong protocol): an HTTP error status with a grpc status, as grpc-dotnet.</summary>
    public static void WriteHttpError(HttpContext http, int httpStatus, GrpcStatusCode code, string message)
    {
        DisableStatusCodePages(http);
        http.Response.StatusCode = httpStatus;
        http.Response.Headers[GrpcProtocol.StatusHeader] = ((int)code).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.PercentEncode(message);
    }

    /// <summary>A trailers-only response with HTTP 200, for statuses decided before a call starts (auth, unknown method).</summary>
    public static Task WriteTrailersOnlyAsync(HttpContext http, GrpcStatusCode code, string message)
    {
        DisableStatusCodePages(http);
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = GrpcProtocol.ContentType;
        http.Response.Headers[GrpcProtocol.StatusHeader] = ((int)code).ToString(CultureInfo.InvariantCulture);
        http.Response.Headers[GrpcProtocol.MessageHeader] = GrpcProtocol.PercentEncode(message);
        return Task.CompletedTask;
    }

    /// <summary>UseStatusCodePages would put a problem+json body into a gRPC response.</summary>
    public static void DisableStatusCodePages(HttpContext http)
    {
        if (http.Features.Get<IStatusCodePagesFeature>() is { } pages)
        {
            pages.Enabled = false;
        }
    }
}
