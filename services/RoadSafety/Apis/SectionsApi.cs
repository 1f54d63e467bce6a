using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.RoadSafety.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.RoadSafety.Apis;

/// <summary><c>/api/roadsafety/sections</c> (average-speed pairs) and <c>/api/roadsafety/rules</c> (versioned admissibility rules).</summary>
public static class SectionsApi
{
    public static RouteGroupBuilder MapSectionsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/roadsafety").WithTags("Sections and rules");
        api.MapPost("/sections", CreateAsync).RequireAuthorization(Roles.RoadSafetyManage).WithName("CreateSection")
            .WithSummary("Pairs two section devices of one region with the road length between them");
        api.MapGet("/sections", ListAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("ListSections").WithSummary("Average-speed sections");
        api.MapGet("/sections/{id:guid}/passages", PassagesAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("SectionPassages")
            .WithSummary("Matched passages of a section (exit time in [from, to))");
        api.MapGet("/rules", RulesAsync).RequireAuthorization(Roles.RoadSafetyRead).WithName("ListRules").WithSummary("Admissibility rule versions");
        api.MapPost("/rules", AddRuleAsync).RequireAuthorization(Roles.RoadSafetyManage).WithName("AddRuleVersion")
            .WithSummary("Adds an admissibility rule version effective from a future time after the latest one (national callers only)");
        return api;
    }

    public static async Task<Results<Created<SectionResponse>, ValidationProblem, ProblemHttpResult>> CreateAsync(
        SectionRequest r, ClaimsPrincipal user, SectionStore store, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!DeviceValidation.Text(r.Name, 200, required: true)) errors["name"] = ["name is required, at most 200 characters without control characters."];
        if (r.EntryDeviceId is null || r.EntryDeviceId == Guid.Empty) errors["entryDeviceId"] = ["entryDeviceId is required."];
        if (r.ExitDeviceId is null || r.ExitDeviceId == Guid.Empty) errors["exitDeviceId"] = ["exitDeviceId is required."];
        else if (r.ExitDeviceId == r.EntryDeviceId) errors["exitDeviceId"] = ["entry and exit are two different devices."];
        if (r.LengthMeters is not { } length || !double.IsFinite(length) || length is < 100 or > 100_000) errors["lengthMeters"] = ["lengthMeters must be between 100 and 100000."];
        if (r.SpeedLimitKmh is not (>= 5 and <= 150)) errors["speedLimitKmh"] = ["speedLimitKmh must be between 5 and 150."];
        if (r.MaxTravelSeconds is < 1 or > 86_400) errors["maxTravelSeconds"] = ["maxTravelSeconds must be between 1 and 86400."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var (outcome, section) = await store.CreateAsync(r, Problems.Scope(user), ct);
        return outcome switch
        {
            SectionOutcome.DeviceNotFound => Problems.NotFound("Device", r.EntryDeviceId!.Value),
            SectionOutcome.NotSectionDevices => Problems.Invalid("entryDeviceId", "both devices must be of kind section."),
            SectionOutcome.OtherRegion => Problems.Invalid("exitDeviceId", "both devices must be in one region."),
            SectionOutcome.Exists => Problems.Conflict("Section exists", "These two devices already form a section."),
            _ => TypedResults.Created($"/api/roadsafety/sections/{section!.Id}", section),
        };
    }

    public static async Task<Results<Ok<IReadOnlyList<SectionResponse>>, ValidationProblem, ProblemHttpResult>> ListAsync(
        ClaimsPrincipal user, SectionStore store, CancellationToken ct, string? region = null)
    {
        if (region is not null && !Regions.IsValid(region)) return Problems.Invalid("region", "region must be an ISO 3166-2:KZ region code.");
        if (Problems.Scope(user) is { } own)
        {
            if (region is not null && !string.Equals(region, own, StringComparison.OrdinalIgnoreCase)) return Problems.OutOfScope();
            region = own;
        }

        return TypedResults.Ok(await store.ListAsync(region?.ToUpperInvariant(), ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<PassageView>>, ValidationProblem, ProblemHttpResult>> PassagesAsync(
        Guid id, ClaimsPrincipal user, SectionStore store, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null, int limit = 100)
    {
        if (!DeviceValidation.InRange(from) || !DeviceValidation.InRange(to) || to <= from) return Problems.Invalid("to", "from and to are required times between 2000 and 2100, to after from.");
        if (limit is < 1 or > 1000) return Problems.Invalid("limit", "limit must be between 1 and 1000.");
        return await store.PassagesAsync(id, Problems.Scope(user), from.Value, to.Value, limit, ct) is { } list ? TypedResults.Ok(list) : Problems.NotFound("Section", id);
    }

    public static async Task<Ok<IReadOnlyList<RuleResponse>>> RulesAsync(SectionStore store, CancellationToken ct) => TypedResults.Ok(await store.RulesAsync(ct));

    public static async Task<Results<Created<RuleResponse>, ValidationProblem, ProblemHttpResult>> AddRuleAsync(
        RuleRequest r, ClaimsPrincipal user, SectionStore store, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        // Never in the past: decisions already taken used the version in effect then, and must stay explainable by it.
        if (r.EffectiveFrom is not { Year: >= 2000 and <= 2100 } from || from < time.GetUtcNow()) errors["effectiveFrom"] = ["effectiveFrom is required, not in the past."];
        if (r.SpeedToleranceKmh is not (>= 0 and <= 50)) errors["speedToleranceKmh"] = ["speedToleranceKmh must be between 0 and 50."];
        if (r.RedLightGraceMs is not (>= 0 and <= 10_000)) errors["redLightGraceMs"] = ["redLightGraceMs must be between 0 and 10000."];
        if (r.MaxPlausibleSpeedKmh is not (>= 100 and <= 500)) errors["maxPlausibleSpeedKmh"] = ["maxPlausibleSpeedKmh must be between 100 and 500."];
        if (r.MinSectionSeconds is < 1 or > 3600) errors["minSectionSeconds"] = ["minSectionSeconds must be between 1 and 3600."];
        if (!DeviceValidation.Text(r.Note, 1000, required: false, lineBreaks: true)) errors["note"] = ["note must be at most 1000 characters without control characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        // Rules are national: a regional caller can't change how every region's fixations are judged.
        if (Problems.Scope(user) is not null) return Problems.OutOfScope();
        return await store.AddRuleAsync(r, ct) is { } rule
            ? TypedResults.Created($"/api/roadsafety/rules/{rule.Version}", rule)
            : Problems.Conflict("Effective time not after the latest version", "A new version takes effect after the latest one; past decisions keep their version.");
    }
}
