using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.CrisisCapacity.Infrastructure;

namespace PublicSafety.CrisisCapacity.Apis;

/// <summary>The problems the endpoints share. A record outside the caller's reach is a plain 404, as if it did not exist.</summary>
internal static class Problems
{
    /// <summary>A body or query names a region outside the caller's scope (or, for beds, outside its reach).</summary>
    public static ProblemHttpResult OutOfRegion() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Outside the caller's region",
        detail: "A caller limited to a region works in that region only; finding and booking beds elsewhere needs crisis.placement.crossregion.");

    public static ProblemHttpResult KeyReused() => TypedResults.Problem(statusCode: StatusCodes.Status422UnprocessableEntity,
        title: "Idempotency key reused", detail: "This Idempotency-Key was already used for a different request.");

    /// <summary>The same client and user first used the key with a token that reached another region: never that record.</summary>
    public static ProblemHttpResult KeyUsedOutOfRegion() => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "Idempotency key used outside the caller's region",
        detail: "This Idempotency-Key was first used for a record this token does not reach; use a new key.");

    public static ProblemHttpResult NoFreeBeds(IReadOnlyList<AvailableBedsRow> alternatives) => TypedResults.Problem(
        statusCode: StatusCodes.Status409Conflict, title: "No free beds",
        detail: "The facility has no free beds of this category for this request; alternatives lists the nearest facilities that have.",
        extensions: new Dictionary<string, object?> { ["alternatives"] = alternatives.Select(AvailableBedsDto.From).ToArray() });
}
