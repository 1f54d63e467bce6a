using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Feedback.Apis;

/// <summary>
/// Satisfaction indicators for analysts (<c>feedback.read</c>; managers too): a regional analyst sees their region only,
/// a national one (no region claim) any region or all of them.
/// </summary>
public static class IndicatorsApi
{
    public const int MaxComments = 200;

    public static RouteGroupBuilder MapIndicatorsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/feedback").WithTags("Indicators").RequireAuthorization(Access.Analyse);
        group.MapGet("/indicators", Indicators).WithName("GetSatisfactionIndicators")
            .WithSummary("Share of satisfied respondents (overall score ≥ 4) and per criterion, against the concept's target; breakdown, response rate, suppressed invitations.");
        group.MapGet("/comments", Comments).WithName("ListComments")
            .WithSummary("Respondents' comments, newest first, with personal data masked.");
        group.MapGet("/alerts", Alerts).WithName("ListQualityAlerts")
            .WithSummary("Units whose rolling 30-day satisfaction is below target.");
        return group;
    }

    private static async Task<Results<Ok<IndicatorsResponse>, ValidationProblem, ProblemHttpResult>> Indicators(
        string? region, string? period, string? from, string? to, string? unit, string? channel, string? kind, string? groupBy,
        ClaimsPrincipal user, IndicatorQueries queries, SatisfactionTargets targets, TimeProvider clock, CancellationToken ct)
    {
        var e = new Dictionary<string, string[]>();
        Validation.Region(e, "region", region, required: false);
        Validation.Name(e, "unit", unit, required: false);
        if (channel is not null && !InteractionChannels.IsValid(channel)) e["channel"] = [$"channel must be one of {string.Join(", ", InteractionChannels.All)}."];
        if (kind is not null && !InteractionKinds.IsValid(kind)) e["kind"] = [$"kind must be one of {string.Join(", ", InteractionKinds.All)}."];
        if (groupBy is not null && !IndicatorGroupings.IsValid(groupBy)) e["groupBy"] = [$"groupBy must be one of {string.Join(", ", IndicatorGroupings.All)}."];
        var range = Validation.Period(period, from, to, clock.GetUtcNow(), e);
        if (e.Count > 0)
        {
            return TypedResults.ValidationProblem(e);
        }

        if (Problems.Scope(user, region) is not { } regions)
        {
            return Problems.NotFound("Region");
        }

        var (start, end) = range!.Value;
        // The previous period of the same length in the same answer, so a trend needs no second call; both run at once.
        var (previousStart, previousEnd) = IndicatorPeriods.Previous(start, end);
        var current = queries.QueryAsync(new IndicatorFilter(regions, start, end, unit, channel, kind, groupBy), ct);
        var before = queries.QueryAsync(new IndicatorFilter(regions, previousStart, previousEnd, unit, channel, kind, null), ct);
        await Task.WhenAll(current, before);
        var (result, previous) = (current.Result, before.Result);
        var verified = Total(result, g => g.Verified);
        var unverified = Total(result, g => g.Unverified);
        var previousVerified = Total(previous, g => g.Verified);
        var previousUnverified = Total(previous, g => g.Unverified);
        // The target of the year the period starts in (Kazakhstan time): periods are quarters, half-years or years.
        var year = start.ToOffset(Kazakhstan.Offset).Year;
        var target = targets.For(year);
        var previousYear = previousStart.ToOffset(Kazakhstan.Offset).Year;
        var previousTarget = targets.For(previousYear);
        bool? Meets(ResponseCounts c, double? t) => t is { } v && c.Responses > 0 ? (double)c.Satisfied / c.Responses >= v : null;
        return TypedResults.Ok(new IndicatorsResponse(
            regions, start, end, target, target is null ? null : year, ResponseIndicator.From(verified), ResponseIndicator.From(unverified), Meets(verified, target),
            Rate(result), Suppressed(result),
            groupBy,
            groupBy is null ? [] : result.Groups.Select(g => new IndicatorGroupDto(g.Key, ResponseIndicator.From(g.Verified), ResponseIndicator.From(g.Unverified),
                Meets(g.Verified, target))).ToArray(),
            new PreviousIndicatorsDto(previousStart, previousEnd, previousTarget, previousTarget is null ? null : previousYear,
                ResponseIndicator.From(previousVerified), ResponseIndicator.From(previousUnverified), Meets(previousVerified, previousTarget),
                Rate(previous), Suppressed(previous)),
            new ShareChangeDto(ShareChangeDto.Points(verified, previousVerified), ShareChangeDto.Points(unverified, previousUnverified))));
    }

    private static ResponseCounts Total(IndicatorResult result, Func<IndicatorGroup, ResponseCounts> kind) =>
        result.Groups.Aggregate(ResponseCounts.Empty, (a, g) => a.Plus(kind(g)));

    private static ResponseRateDto Rate(IndicatorResult r) =>
        new(r.Invitations, r.InvitationsAnswered, ResponseIndicator.Share(r.InvitationsAnswered, r.Invitations));

    private static SuppressedDto[] Suppressed(IndicatorResult r) => r.Suppressed.Select(s => new SuppressedDto(s.Rule, s.Count)).ToArray();

    private static async Task<Results<Ok<IReadOnlyList<CommentDto>>, ValidationProblem, ProblemHttpResult>> Comments(
        string? region, string? period, string? from, string? to, int? limit, DateTimeOffset? before,
        ClaimsPrincipal user, NpgsqlDataSource dataSource, TimeProvider clock, CancellationToken ct)
    {
        var e = new Dictionary<string, string[]>();
        Validation.Region(e, "region", region, required: false);
        if (limit is not null and not (>= 1 and <= MaxComments)) e["limit"] = [$"limit must be between 1 and {MaxComments}."];
        var range = Validation.Period(period, from, to, clock.GetUtcNow(), e);
        if (e.Count > 0)
        {
            return TypedResults.ValidationProblem(e);
        }

        if (Problems.Scope(user, region) is not { } regions)
        {
            return Problems.NotFound("Region");
        }

        // Comments were masked when written; they are returned as JSON strings, never as markup.
        await using var cmd = dataSource.CreateCommand("""
            SELECT id, region, unit, kind, submitted_at, verified, overall, comment FROM survey_responses
            WHERE region = ANY(@regions) AND comment IS NOT NULL AND submitted_at >= @from AND submitted_at < @to
              AND (@before::timestamptz IS NULL OR submitted_at < @before)
            ORDER BY submitted_at DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("regions", regions.ToArray());
        cmd.Parameters.AddWithValue("from", range!.Value.From);
        cmd.Parameters.AddWithValue("to", range.Value.To);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("before", before?.ToUniversalTime()) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        cmd.Parameters.AddWithValue("limit", limit ?? 50);
        var list = new List<CommentDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new CommentDto(r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.GetFieldValue<DateTimeOffset>(4), r.GetBoolean(5), r.GetInt16(6), r.GetString(7)));
        }

        return TypedResults.Ok<IReadOnlyList<CommentDto>>(list);
    }

    private static async Task<Results<Ok<IReadOnlyList<AlertDto>>, ValidationProblem, ProblemHttpResult>> Alerts(
        string? region, ClaimsPrincipal user, QualityAlertDetector alerts, CancellationToken ct)
    {
        var e = new Dictionary<string, string[]>();
        Validation.Region(e, "region", region, required: false);
        if (e.Count > 0)
        {
            return TypedResults.ValidationProblem(e);
        }

        if (Problems.Scope(user, region) is not { } regions)
        {
            return Problems.NotFound("Region");
        }

        var active = await alerts.ActiveAsync(regions, ct);
        return TypedResults.Ok<IReadOnlyList<AlertDto>>(active.Select(a => new AlertDto(a.Region, a.Unit, a.RaisedAt, a.Share, a.Responses)).ToArray());
    }
}
