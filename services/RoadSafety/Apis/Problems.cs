using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.RoadSafety.Apis;

internal static class Problems
{
    public static string? Scope(ClaimsPrincipal user) => user.Region()?.ToUpperInvariant();

    // Records of other regions are not found rather than forbidden: their existence is not the caller's business.
    public static ProblemHttpResult NotFound(string what, Guid id) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found", detail: $"No {what.ToLowerInvariant()} {id} in the caller's scope.");

    public static ProblemHttpResult OutOfScope() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside the caller's region", detail: "The caller may only see and change records of its own region.");

    public static ProblemHttpResult Conflict(string title, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: title, detail: detail);

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    public static bool ValidCoordinates(double? lat, double? lon) =>
        lat is { } a && double.IsFinite(a) && a is >= -90 and <= 90 && lon is { } o && double.IsFinite(o) && o is >= -180 and <= 180;
}
