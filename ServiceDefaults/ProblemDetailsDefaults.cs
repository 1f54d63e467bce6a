using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PublicSafety.ServiceDefaults;

public static class ProblemDetailsDefaults
{
    /// <summary>
    /// RFC 9457 problem details for every error, with the trace id so that an agency's report can be found in the traces.
    /// Exception details never reach the client: the exception handler writes only the status and title.
    /// </summary>
    public static IServiceCollection AddPlatformProblemDetails(this IServiceCollection services) =>
        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? ctx.HttpContext.TraceIdentifier;
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
            if (ctx.Exception is not null)
            {
                ctx.ProblemDetails.Detail = null;
            }
        });
}
