namespace PublicSafety.Gateway.Observability;

/// <summary>Answers the gateway writes itself, as RFC 9457 problem details (ServiceDefaults adds the trace id).</summary>
public static class GatewayProblems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string? detail = null) =>
        TypedResults.Problem(detail, context.Request.Path, status, title).ExecuteAsync(context);
}
