using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.ServiceDefaults;

public static class ProblemDetailsDefaults
{
    /// <summary>
    /// RFC 9457 problem details for every error, with the trace id so that an agency's report can be found in the traces.
    /// Exception details never reach the client: the exception handler writes only the status and title.
    /// </summary>
    public static IServiceCollection AddPlatformProblemDetails(this IServiceCollection services)
    {
        // A body or parameter that does not bind is the client's fault in every environment: minimal APIs answer it as a
        // 400 problem themselves instead of throwing (Development's default), and any BadHttpRequestException that does
        // reach the exception handler (a body over the size limit, a broken chunk) keeps its own 4xx status.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = false);
        services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = ex => ex switch
        {
            BadHttpRequestException bad => bad.StatusCode,
            // A caller whose token grants no region scope reached code that needs one (Auth/RegionScope.cs).
            RegionScopeMissingException => StatusCodes.Status403Forbidden,
            _ when IsTransient(ex) => StatusCodes.Status503ServiceUnavailable,
            _ => StatusCodes.Status500InternalServerError,
        });
        return services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? ctx.HttpContext.TraceIdentifier;
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            if (ctx.Exception is null)
            {
                return;
            }

            ctx.ProblemDetails.Detail = null;
            if (IsTransient(ctx.Exception))
            {
                ctx.ProblemDetails.Title = "Temporarily unavailable";
                ctx.ProblemDetails.Detail = "The service could not reach its database in time. Retry the request later.";
                ctx.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
            }
        });
    }

    private const string RetryAfterSeconds = "2";

    /// <summary>
    /// A database that is restarting, failing over, out of connections, or a statement that timed out or lost a deadlock:
    /// nothing is wrong with the request, so the caller is told to retry (503 with Retry-After) instead of getting a 500
    /// that reads like a defect. Npgsql classifies these itself (connection failures, timeouts, SQLSTATE 40001, 40P01,
    /// 53xxx, 57P0x, 08xxx).
    /// </summary>
    public static bool IsTransient(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true })
            {
                return true;
            }
        }

        return false;
    }
}
