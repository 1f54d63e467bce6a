using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using PublicSafety.Gateway.Extensions;
using PublicSafety.Gateway.Observability;

namespace PublicSafety.Gateway.Limits;

/// <summary>
/// The body limit of each request: <see cref="GatewayOptions.MaxRequestBodyBytes"/>, or the larger one of a bulk endpoint
/// (<see cref="GatewayOptions.BodyLimits"/>: a file import or a device batch would not fit the default). Kestrel's own limit
/// is the largest of them; this middleware lowers it to the request's and refuses a larger declared Content-Length before
/// anything else is done with the request, with a problem document rather than a bare 413. A chunked body that grows past
/// the limit is caught while forwarding (see ProxyErrors).
/// </summary>
public sealed class RequestSizeLimits
{
    private readonly long _default;
    private readonly Dictionary<string, long> _byPath;

    public RequestSizeLimits(IOptions<GatewayOptions> options)
    {
        _default = options.Value.MaxRequestBodyBytes;
        _byPath = Build(options.Value);
    }

    /// <summary>What Kestrel must allow so that every per-path limit can be reached.</summary>
    public static long Largest(GatewayOptions options) =>
        Build(options).Values.Append(options.MaxRequestBodyBytes).Max();

    public long For(PathString path) =>
        _byPath.TryGetValue(Normalize(path.Value), out var limit) ? limit : _default;

    private static Dictionary<string, long> Build(GatewayOptions options)
    {
        var limits = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, limit) in options.BodyLimits)
        {
            if (string.IsNullOrWhiteSpace(limit.Path) || !limit.Path.StartsWith('/') || limit.MaxBytes <= 0)
            {
                throw new OptionsValidationException(GatewayOptions.Section, typeof(BodyLimit),
                    [$"Gateway:BodyLimits:{name} needs a Path starting with '/' and a positive MaxBytes."]);
            }

            limits[Normalize(limit.Path)] = limit.MaxBytes;
        }

        return limits;
    }

    // ASP.NET Core routing ignores a trailing slash, so the limit must too.
    private static string Normalize(string? path) => path is { Length: > 1 } p ? p.TrimEnd('/') : path ?? "/";
}

public static class RequestSizeLimit
{
    public static IServiceCollection AddRequestSizeLimits(this IServiceCollection services) =>
        services.AddSingleton<RequestSizeLimits>();

    public static IApplicationBuilder UseRequestSizeLimit(this IApplicationBuilder app)
    {
        var limits = app.ApplicationServices.GetRequiredService<RequestSizeLimits>();
        var metrics = app.ApplicationServices.GetRequiredService<GatewayMetrics>();
        return app.Use((context, next) =>
        {
            var limit = limits.For(context.Request.Path);
            if (context.Request.ContentLength > limit)
            {
                return TooLargeAsync(context, metrics, limit);
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } body)
            {
                body.MaxRequestBodySize = limit;
            }

            return next(context);
        });
    }

    public static Task TooLargeAsync(HttpContext context, GatewayMetrics metrics, long limit)
    {
        metrics.Rejected(RejectionReasons.TooLarge);
        // HTTP/1.1 would otherwise have to drain the unread body; HTTP/2 resets just the stream.
        if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
        {
            context.Response.Headers.Connection = "close";
        }

        return GatewayProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"The gateway accepts request bodies up to {limit} bytes on this path.");
    }
}
