using Grpc.Core;

namespace PublicSafety.Gateway.Observability;

/// <summary>
/// Answers the gateway writes itself: RFC 9457 problem details (ServiceDefaults adds the trace id), or for a gRPC call a
/// trailers-only status, as a gRPC client expects and as the services themselves answer; a browser on a citizens' page
/// gets a page it can show (<see cref="CitizenErrorPage"/>).
/// </summary>
public static class GatewayProblems
{
    public static Task WriteAsync(HttpContext context, int status, string title, string? detail = null)
    {
        if (IsGrpcCall(context.Request))
        {
            return WriteGrpcStatusAsync(context, ToGrpcStatus(status), detail ?? title);
        }

        return CitizenErrorPage.Wanted(context)
            ? CitizenErrorPage.WriteAsync(context, status)
            : TypedResults.Problem(detail, context.Request.Path, status, title).ExecuteAsync(context);
    }

    /// <summary>HTTP 200 with <c>grpc-status</c> and <c>grpc-message</c> in the headers and no body ("trailers-only").</summary>
    public static Task WriteGrpcStatusAsync(HttpContext context, StatusCode code, string message)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/grpc";
        context.Response.Headers["grpc-status"] = ((int)code).ToString(System.Globalization.CultureInfo.InvariantCulture);
        // gRPC messages are percent-encoded; clients decode any escape, so escaping more than needed is harmless.
        context.Response.Headers["grpc-message"] = Uri.EscapeDataString(message);
        return Task.CompletedTask;
    }

    /// <summary><c>application/grpc</c> or <c>application/grpc+proto</c> (with parameters); gRPC-Web is not served here.</summary>
    public static bool IsGrpcCall(HttpRequest request) =>
        request.ContentType is { } type
        && type.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase)
        && !type.StartsWith("application/grpc-web", StringComparison.OrdinalIgnoreCase);

    private static StatusCode ToGrpcStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => StatusCode.Unauthenticated,
        StatusCodes.Status403Forbidden => StatusCode.PermissionDenied,
        StatusCodes.Status413PayloadTooLarge or StatusCodes.Status429TooManyRequests => StatusCode.ResourceExhausted,
        StatusCodes.Status502BadGateway or StatusCodes.Status503ServiceUnavailable => StatusCode.Unavailable,
        StatusCodes.Status504GatewayTimeout => StatusCode.DeadlineExceeded,
        _ => StatusCode.Internal,
    };
}
