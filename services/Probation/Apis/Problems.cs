using Microsoft.AspNetCore.Http.HttpResults;

namespace PublicSafety.Probation.Apis;

internal static class Problems
{
    /// <summary>Also what a caller gets for a person outside their scope: it does not say whether the person exists.</summary>
    public static ProblemHttpResult NotFound(string what = "person") => TypedResults.Problem($"No such {what}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    public static ProblemHttpResult Forbidden(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    public static ProblemHttpResult Conflict(string detail) => TypedResults.Problem(detail, statusCode: StatusCodes.Status409Conflict, title: "Conflict");
}
