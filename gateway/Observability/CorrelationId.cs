using System.Diagnostics;

namespace PublicSafety.Gateway.Observability;

/// <summary>
/// Every response carries <c>X-Correlation-Id</c>: the caller's own, if it is a plausible id, otherwise the trace id, so that an
/// agency's support request leads straight to the trace. The same id is forwarded to the destination.
/// </summary>
public static class CorrelationId
{
    public const string HeaderName = "X-Correlation-Id";
    private const int MaxLength = 64;

    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var incoming = context.Request.Headers[HeaderName];
        var id = incoming.Count == 1 && IsValid(incoming[0]) ? incoming[0]! : Activity.Current?.TraceId.ToHexString() ?? context.TraceIdentifier;
        context.Request.Headers[HeaderName] = id;
        context.Response.OnStarting(static state =>
        {
            var (response, value) = ((HttpResponse, string))state;
            response.Headers[HeaderName] = value;
            return Task.CompletedTask;
        }, (context.Response, id));
        return next(context);
    });

    public static bool IsValid(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
