using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.RoadSafety.Apis;

internal static class Problems
{
    public static string? Scope(ClaimsPrincipal user) => user.Region();

    // Records of other regions are not found rather than forbidden: their existence is not the caller's business.
    public static ProblemHttpResult NotFound(string what, Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found", detail: $"No {what.ToLowerInvariant()} {id} in the caller's scope.");

    public static ProblemHttpResult OutOfScope() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside the caller's region", detail: "The caller may only see and change records of its own region.");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    // The service covers Kazakhstan's roads: a point elsewhere is a mistake, and the hotspots' metric UTM zones (38N-45N) hold only there.
    public static bool InKazakhstan(double? lat, double? lon) => lat is { } a && lon is { } o && Kazakhstan.Contains(a, o);
}
