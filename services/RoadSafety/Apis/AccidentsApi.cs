using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using PublicSafety.RoadSafety.Extensions;
using PublicSafety.RoadSafety.Hotspots;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.RoadSafety.Apis;

/// <summary><c>/api/roadsafety/accidents</c> and <c>/api/roadsafety/hotspots</c>: accidents and accident-concentration sites (7.5).</summary>
public static class AccidentsApi
{
    public const int MaxImport = 5000;

    public static RouteGroupBuilder MapAccidentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/roadsafety").WithTags("Accidents and hotspots");
        api.MapPost("/accidents", ImportAsync).RequireAuthorization(Roles.RoadSafetyManage).WithName("ImportAccidents")
            .WithSummary("Imports up to 5,000 accidents, all or nothing; externalId makes a re-import change nothing");
        api.MapGet("/accidents", ListAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("ListAccidents").WithSummary("Accidents in a time range");
        api.MapGet("/hotspots", HotspotsAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("Hotspots")
            .WithSummary("Accident-concentration sites ranked by harm; cameras=true attaches the Cameras service's cameras nearby");
        api.MapGet("/hotspots/uncovered", UncoveredAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("UncoveredHotspots")
            .WithSummary("Sites with no active, verified device within the coverage distance: where to place devices");
        return api;
    }

    public static async Task<Results<Ok<AccidentImportResult>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        AccidentBatch batch, ClaimsPrincipal user, AccidentStore store, TimeProvider time, CancellationToken ct)
    {
        if (batch.Accidents is not { Length: > 0 and <= MaxImport } accidents) return Problems.Invalid("accidents", $"accidents must hold 1 to {MaxImport} items.");
        var errors = new Dictionary<string, string[]>();
        var latest = time.GetUtcNow().AddMinutes(5);
        for (var i = 0; i < accidents.Length; i++)
        {
            var a = accidents[i];
            var p = $"accidents[{i}]";
            if (a is null) { errors[p] = ["an accident is required."]; continue; }
            if (!DeviceValidation.Text(a.ExternalId, 100, required: false) || a.ExternalId is "") errors[$"{p}.externalId"] = ["externalId must be 1 to 100 characters without control characters."];
            if (a.OccurredAt is not { Year: >= 2000 } at || at > latest) errors[$"{p}.occurredAt"] = ["occurredAt is required, not in the future."];
            if (!Regions.IsValid(a.Region)) errors[$"{p}.region"] = ["region must be an ISO 3166-2:KZ region code."];
            else if (!user.CanAccessRegion(a.Region!)) errors[$"{p}.region"] = ["the caller may only import accidents of its own region."];
            if (!Problems.InKazakhstan(a.Latitude, a.Longitude)) errors[$"{p}.latitude"] = [$"latitude and longitude are required, within Kazakhstan ({Kazakhstan.Bounds})."];
            if (a.Deaths is not (>= 0 and <= 1000)) errors[$"{p}.deaths"] = ["deaths must be between 0 and 1000."];
            if (a.Injuries is not (>= 0 and <= 1000)) errors[$"{p}.injuries"] = ["injuries must be between 0 and 1000."];
            if (a.Cause is null || !Causes.All.Contains(a.Cause)) errors[$"{p}.cause"] = [$"cause is required, one of: {string.Join(", ", Causes.All)}."];
            if (!DeviceValidation.Text(a.Road, 200, required: false)) errors[$"{p}.road"] = ["road must be at most 200 characters without control characters."];
            if (a.KmMarker is < 0 or > 10_000) errors[$"{p}.kmMarker"] = ["kmMarker must be between 0 and 10000."];
            if (errors.Count >= 100) break;
        }

        if (accidents.Where(a => a?.ExternalId is not null).GroupBy(a => a!.ExternalId).Any(g => g.Count() > 1))
        {
            errors["accidents"] = ["externalId must be unique within an import."];
        }

        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var (result, taken) = await store.ImportAsync(accidents!, Problems.Scope(user), ct);
        return result is not null
            ? TypedResults.Ok(result)
            : Problems.Conflict("externalId already used", $"The externalId of accidents[{string.Join("], accidents[", taken)}] is already used by an accident "
                + "outside the caller's scope: they are not that accident. Nothing was imported.");
    }

    public static async Task<Results<Ok<IReadOnlyList<AccidentView>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, AccidentStore store, CancellationToken ct, string? region = null, DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 100)
    {
        if (!DeviceValidation.InRange(from) || !DeviceValidation.InRange(to) || to <= from) return Problems.Invalid("to", "from and to are required times between 2000 and 2100, to after from.");
        if (limit is < 1 or > 1000) return Problems.Invalid("limit", "limit must be between 1 and 1000.");
        if (region is not null && !Regions.IsValid(region)) return Problems.Invalid("region", "region must be an ISO 3166-2:KZ region code.");
        if (Problems.Scope(user) is { } own)
        {
            if (region is not null && !string.Equals(region, own, StringComparison.OrdinalIgnoreCase)) return Problems.OutOfScope();
            region = own;
        }

        return TypedResults.Ok(await store.ListAsync(region?.ToUpperInvariant(), from.Value, to.Value, limit, ct));
    }

    public static Task<Results<Ok<HotspotList>, ValidationProblem, ProblemHttpResult>> UncoveredAsync(
        ClaimsPrincipal user, HotspotQueries queries, NearbyCameras nearby, IOptions<RoadSafetyOptions> options, TimeProvider time, CancellationToken ct,
        string? region = null, int? minAccidents = null, double? distanceMeters = null, int? months = null, DateTimeOffset? asOf = null,
        double? coverageMeters = null, bool cameras = false, int limit = 50) =>
        ComputeAsync(user, queries, nearby, options.Value, time, ct, region, minAccidents, distanceMeters, months, asOf, coverageMeters, cameras, limit, uncoveredOnly: true);

    public static Task<Results<Ok<HotspotList>, ValidationProblem, ProblemHttpResult>> HotspotsAsync(
        ClaimsPrincipal user, HotspotQueries queries, NearbyCameras nearby, IOptions<RoadSafetyOptions> options, TimeProvider time, CancellationToken ct,
        string? region = null, int? minAccidents = null, double? distanceMeters = null, int? months = null, DateTimeOffset? asOf = null,
        double? coverageMeters = null, bool cameras = false, int limit = 50) =>
        ComputeAsync(user, queries, nearby, options.Value, time, ct, region, minAccidents, distanceMeters, months, asOf, coverageMeters, cameras, limit, uncoveredOnly: false);

    private static async Task<Results<Ok<HotspotList>, ValidationProblem, ProblemHttpResult>> ComputeAsync(
        ClaimsPrincipal user, HotspotQueries queries, NearbyCameras nearby, RoadSafetyOptions o, TimeProvider time, CancellationToken ct,
        string? region, int? minAccidents, double? distanceMeters, int? months, DateTimeOffset? asOf, double? coverageMeters, bool cameras, int limit, bool uncoveredOnly)
    {
        var rule = new HotspotRule(minAccidents ?? o.HotspotMinAccidents, distanceMeters ?? o.HotspotDistanceMeters, months ?? o.HotspotMonths,
            (asOf ?? time.GetUtcNow()).ToUniversalTime(), coverageMeters ?? o.CoverageDistanceMeters, o.DeathWeight, o.InjuryWeight);
        var errors = new Dictionary<string, string[]>();
        if (region is not null && !Regions.IsValid(region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code."];
        if (rule.MinAccidents is < 2 or > 1000) errors["minAccidents"] = ["minAccidents must be between 2 and 1000."];
        if (!double.IsFinite(rule.DistanceMeters) || rule.DistanceMeters is < 10 or > 20_000) errors["distanceMeters"] = ["distanceMeters must be between 10 and 20000."];
        if (rule.Months is < 1 or > 120) errors["months"] = ["months must be between 1 and 120."];
        if (rule.AsOf.Year is < 2000 or > 2100) errors["asOf"] = ["asOf must be a time between 2000 and 2100."];
        if (!double.IsFinite(rule.CoverageDistanceMeters) || rule.CoverageDistanceMeters is < 0 or > 50_000) errors["coverageMeters"] = ["coverageMeters must be between 0 and 50000."];
        if (limit is < 1 or > 500) errors["limit"] = ["limit must be between 1 and 500."];
        if (cameras && limit > 100) errors["limit"] = ["with cameras=true, limit is at most 100 (one Cameras call per site)."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var scope = Problems.Scope(user);
        if (scope is not null && region is not null && !string.Equals(scope, region, StringComparison.OrdinalIgnoreCase)) return Problems.OutOfScope();

        var (all, ms) = await queries.ComputeAsync(rule, scope ?? region?.ToUpperInvariant(), scope, ct);
        var chosen = (uncoveredOnly ? all.Where(h => !h.Covered) : all).Take(limit).ToList();
        if (cameras && chosen.Count > 0)
        {
            chosen = await nearby.AttachAsync(chosen, scope, ct);
        }

        return TypedResults.Ok(new HotspotList(rule, uncoveredOnly ? all.Count(h => !h.Covered) : all.Count, Math.Round(ms, 1), chosen));
    }
}
