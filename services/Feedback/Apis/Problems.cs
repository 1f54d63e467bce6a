using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Feedback.Apis;

/// <summary>Problems shared by the endpoints, and the caller's region scope.</summary>
internal static class Problems
{
    /// <summary>
    /// Also for records outside the caller's region: guessing another region's id must not reveal that it exists.
    /// </summary>
    public static ProblemHttpResult NotFound(string what) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: $"{what} not found",
            detail: $"No {what.ToLowerInvariant()} with this identifier is visible to you.");

    /// <summary>
    /// A retry (same Idempotency-Key or source reference) whose first record is outside the caller's region: it must not
    /// come back to a caller who could not read it, so the repeat is refused and says nothing of the first.
    /// </summary>
    public static ProblemHttpResult AlreadyUsed(string key) =>
        TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: $"{key} already used",
            detail: $"This {key} was already used for another record. Send a new one with each new record.");

    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>Who did it, for the complaint history: the person in the token, or the calling system.</summary>
    public static string Actor(ClaimsPrincipal user) => user.Identity?.Name ?? user.ClientId() ?? "unknown";

    /// <summary>
    /// The regions a query may cover: the requested one if the caller may see it (null when not: answer 404), every
    /// region for a national caller asking for none, the caller's own region otherwise.
    /// </summary>
    public static IReadOnlyList<string>? Scope(ClaimsPrincipal user, string? requested)
    {
        if (requested is not null)
        {
            return user.CanAccessRegion(requested) ? [requested.ToUpperInvariant()] : null;
        }

        return user.Region() is { } own ? [own.ToUpperInvariant()] : Regions.Names.Keys.ToArray();
    }
}
