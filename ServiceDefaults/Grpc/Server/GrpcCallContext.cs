using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace PublicSafety.ServiceDefaults.Grpc.Server;

/// <summary>What a handler knows about the call it serves.</summary>
public sealed class GrpcCallContext
{
    internal GrpcCallContext(HttpContext httpContext, string method, DateTimeOffset? deadline, CancellationToken cancellationToken)
    {
        HttpContext = httpContext;
        Method = method;
        Deadline = deadline;
        CancellationToken = cancellationToken;
    }

    public HttpContext HttpContext { get; }

    /// <summary>The full method name, e.g. <c>/publicsafety.cameras.v1.CameraDirectory/FindCamerasNear</c>.</summary>
    public string Method { get; }

    /// <summary>The caller, from the bearer token in the <c>authorization</c> metadata.</summary>
    public ClaimsPrincipal User => HttpContext.User;

    /// <summary>When the caller stops waiting (<c>grpc-timeout</c>); pass it on to calls this handler makes.</summary>
    public DateTimeOffset? Deadline { get; }

    /// <summary>Cancelled when the deadline passes or the client cancels (RST_STREAM).</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Request metadata (HTTP/2 headers; <c>-bin</c> keys are base64).</summary>
    public IHeaderDictionary RequestHeaders => HttpContext.Request.Headers;

    public IServiceProvider Services => HttpContext.RequestServices;

    /// <summary>Extra trailing metadata to send with the status.</summary>
    public IDictionary<string, string> ResponseTrailers => _responseTrailers ??= new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    internal IDictionary<string, string>? ResponseTrailersIfAny => _responseTrailers;

    private Dictionary<string, string>? _responseTrailers;
}

/// <summary>Writes the messages of a server-streaming response, each flushed to the client at once.</summary>
public interface IGrpcStreamWriter<in T>
{
    Task WriteAsync(T message);
}
