using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.RoadSafety.Indicators;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.RoadSafety.Apis;

public sealed record PopulationRequest(int? Population, string? Source);

/// <summary><c>/api/roadsafety/indicators</c>: deaths per 100,000 against the targets, device activity and anomalies, uptime, deployment plan.</summary>
public static class IndicatorsApi
{
    public static RouteGroupBuilder MapIndicatorsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/roadsafety/indicators").WithTags("Indicators");
        api.MapGet("/deaths", DeathsAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("DeathRates")
            .WithSummary("Deaths per 100,000 residents by region for a year, against the concept's target (11.8 in 2024 to 11.4 in 2028)");
        api.MapPut("/population/{region}/{year:int}", SetPopulationAsync).RequireAuthorization(Roles.RoadSafetyManage).WithName("SetRegionPopulation")
            .WithSummary("Sets a region's population for a year (the official statistics)");
        api.MapGet("/devices/{id:guid}/daily", DailyAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("DeviceDailyCounts")
            .WithSummary("Fixations and violations per day with the device's own norm and an anomaly flag");
        api.MapGet("/devices/anomalies", AnomaliesAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("DeviceAnomalies")
            .WithSummary("Active devices whose count on a day is far from their own norm");
        api.MapGet("/devices/{id:guid}/uptime", UptimeAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("DeviceUptime")
            .WithSummary("Share of a period in which the device was not silent");
        api.MapGet("/deployment", DeploymentAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("DeploymentPlan")
            .WithSummary("Devices in service at each year's end against the plan (1,100 stationary a year to 5,500; 62 car-mounted)");
        return api;
    }

    public static async Task<Results<Ok<DeathRates>, ValidationProblem, ProblemHttpResult>> DeathsAsync(
        ClaimsPrincipal user, IndicatorQueries queries, CancellationToken ct, int? year = null, string? region = null)
    {
        if (year is not (>= 2000 and <= 2100)) return Problems.Invalid("year", "year is required, between 2000 and 2100.");
        if (region is not null && !Regions.IsValid(region)) return Problems.Invalid("region", "region must be an ISO 3166-2:KZ region code.");
        if (Problems.Scope(user) is { } own)
        {
            if (region is not null && !string.Equals(region, own, StringComparison.OrdinalIgnoreCase)) return Problems.OutOfScope();
            region = own;
        }

        return TypedResults.Ok(await queries.DeathRatesAsync(year.Value, region?.ToUpperInvariant(), ct));
    }

    public static async Task<Results<NoContent, ValidationProblem, ProblemHttpResult>> SetPopulationAsync(
        string region, int year, PopulationRequest request, ClaimsPrincipal user, IndicatorQueries queries, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Regions.IsValid(region)) errors["region"] = ["region must be an ISO 3166-2:KZ region code."];
        if (year is < 2000 or > 2100) errors["year"] = ["year must be between 2000 and 2100."];
        if (request.Population is not (> 0 and <= 100_000_000)) errors["population"] = ["population must be a positive number."];
        if (!DeviceValidation.Text(request.Source, 500, required: true)) errors["source"] = ["source (where the figure comes from) is required, at most 500 characters without control characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        if (!user.CanAccessRegion(region)) return Problems.OutOfScope();
        await queries.SetPopulationAsync(region.ToUpperInvariant(), year, request.Population!.Value, request.Source!, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<IReadOnlyList<DailyCount>>, ValidationProblem, ProblemHttpResult>> DailyAsync(
        Guid id, ClaimsPrincipal user, IndicatorQueries queries, CancellationToken ct, DateOnly? from = null, DateOnly? to = null)
    {
        // The norm looks 28 days back and the days run to the end of the range: both must stay within the calendar.
        if (from is not { Year: >= 2000 and <= 2100 } || to is not { Year: >= 2000 and <= 2100 } || to < from || to.Value.DayNumber - from.Value.DayNumber > 366)
        {
            return Problems.Invalid("to", "from and to are required dates between 2000 and 2100, to not before from, at most 366 days apart.");
        }

        return await queries.DailyAsync(id, Problems.Scope(user), from.Value, to.Value, ct) is { } days ? TypedResults.Ok(days) : Problems.NotFound("Device", id);
    }

    public static async Task<Results<Ok<IReadOnlyList<DeviceAnomaly>>, ValidationProblem, ProblemHttpResult>> AnomaliesAsync(
        ClaimsPrincipal user, IndicatorQueries queries, CancellationToken ct, DateOnly? day = null, string? region = null)
    {
        if (day is not { Year: >= 2000 and <= 2100 }) return Problems.Invalid("day", "day is required, a date between 2000 and 2100.");
        if (region is not null && !Regions.IsValid(region)) return Problems.Invalid("region", "region must be an ISO 3166-2:KZ region code.");
        if (Problems.Scope(user) is { } own)
        {
            if (region is not null && !string.Equals(region, own, StringComparison.OrdinalIgnoreCase)) return Problems.OutOfScope();
            region = own;
        }

        return TypedResults.Ok(await queries.AnomaliesAsync(region?.ToUpperInvariant(), day.Value, ct));
    }

    public static async Task<Results<Ok<Uptime>, ValidationProblem, ProblemHttpResult>> UptimeAsync(
        Guid id, ClaimsPrincipal user, IndicatorQueries queries, TimeProvider time, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (!DeviceValidation.InRange(from) || !DeviceValidation.InRange(to) || to <= from) return Problems.Invalid("to", "from and to are required times between 2000 and 2100, to after from.");
        return await queries.UptimeAsync(id, Problems.Scope(user), from.Value, to.Value, time.GetUtcNow(), ct) is { } uptime
            ? TypedResults.Ok(uptime)
            : Problems.NotFound("Device", id);
    }

    public static async Task<Ok<IReadOnlyList<DeploymentYear>>> DeploymentAsync(ClaimsPrincipal user, IndicatorQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.DeploymentAsync(Problems.Scope(user), ct));
}
