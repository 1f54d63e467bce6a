using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

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
        services.Configure<ExceptionHandlerOptions>(o => o.StatusCodeSelector = ex =>
            ex is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError);
        return services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? ctx.HttpContext.TraceIdentifier;
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            if (ctx.Exception is not null)
            {
                ctx.ProblemDetails.Detail = null;
            }
        });
    }
}
