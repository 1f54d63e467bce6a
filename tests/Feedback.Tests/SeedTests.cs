using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.Testing;

namespace PublicSafety.Feedback.Tests;

/// <summary>A database loaded once by the seed command with a small dataset.</summary>
public sealed class SeededDatabase : IAsyncLifetime
{
    public TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Database = await TestDatabase.CreateAsync("feedbackseed");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:feedbackdb"] = Database.ConnectionString,
            ["Feedback:VenueSignalWeights:violence"] = "5",
        }).Build();
        Assert.Equal(0, await SyntheticSeed.RunAsync(["seed", "--responses", "2000"], configuration, NullLoggerFactory.Instance, CancellationToken.None));
    }

    public async Task DisposeAsync() => await Database.DisposeAsync();
}

/// <summary>The seed command on a small dataset: what a local run shows, by kind, decision and status.</summary>
public sealed class SeedTests(SeededDatabase seeded) : IClassFixture<SeededDatabase>
{
    private readonly TestDatabase _database = seeded.Database;

    [Fact]
    public async Task InteractionsIncludeThoseWithoutConsentSuppressedOnesAndTheConsumersKinds()
    {
        var bySurvey = await CountsAsync("SELECT survey, count(*) FROM interactions GROUP BY survey");
        Assert.Equal(await ScalarAsync("SELECT count(*) FROM survey_invitations"), bySurvey[SurveyDecisions.Invited]);
        Assert.True(bySurvey[SurveyDecisions.NoConsent] >= 50, $"{bySurvey[SurveyDecisions.NoConsent]} without consent");
        Assert.True(bySurvey[SurveyDecisions.Suppressed] >= 50, $"{bySurvey[SurveyDecisions.Suppressed]} suppressed");

        // Suppressed as the default rules would: by rule and offence, crisis-centre placements as domestic violence.
        var suppressed = await CountsAsync("""
            SELECT suppressed_by || '/' || kind || '/' || offence_category, count(*) FROM interactions WHERE survey = 'suppressed' GROUP BY 1
            """);
        Assert.Equal(
            ["domestic-violence/crisis_placement/domestic_violence", "domestic-violence/offence_report/domestic_violence", "sexual-assault/offence_report/sexual_assault"],
            suppressed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(bySurvey[SurveyDecisions.Suppressed], suppressed.Values.Sum());
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM interactions WHERE survey <> 'suppressed' AND suppressed_by IS NOT NULL"));

        // The kinds the consumers register (PlacementEnded, ProbationCheckInRecorded) are invited and answered too.
        var invitedKinds = await CountsAsync("SELECT kind, count(*) FROM survey_invitations GROUP BY kind");
        Assert.True(invitedKinds.GetValueOrDefault(InteractionKinds.CrisisPlacement) > 0);
        Assert.True(invitedKinds.GetValueOrDefault(InteractionKinds.ProbationCheckIn) > 0);
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM interactions WHERE kind = 'crisis_placement' AND channel <> 'partner_service'"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM interactions WHERE kind = 'probation_check_in' AND channel <> 'in_person'"));
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM interactions WHERE NOT synthetic"));
    }

    [Fact]
    public async Task ComplaintsCarryTheirStepsThroughEveryStatusAndSomeAreOverdue()
    {
        var byStatus = await CountsAsync("SELECT status || coalesce('/' || outcome, ''), count(*) FROM complaints GROUP BY 1");
        Assert.Equal(
            ["assigned", "forwarded_to_prosecutor", "received", "resolved/not_upheld", "resolved/upheld", "under_review"],
            byStatus.Keys.Order(StringComparer.Ordinal));
        Assert.True(await ScalarAsync("SELECT count(*) FROM complaints WHERE status IN ('received', 'assigned', 'under_review') AND due_at < now()") > 0,
            "no overdue complaint");
        Assert.Equal(0, await ScalarAsync("SELECT count(*) FROM complaints WHERE NOT synthetic"));

        // Every complaint starts with the citizen's 'received', ends in a step of its status, its steps in time order, and has a
        // handler once assigned.
        Assert.Equal(0, await ScalarAsync("""
            SELECT count(*) FROM complaints c
            WHERE (SELECT status FROM complaint_steps WHERE complaint_id = c.id ORDER BY id LIMIT 1) IS DISTINCT FROM 'received'
               OR (SELECT status FROM complaint_steps WHERE complaint_id = c.id ORDER BY id DESC LIMIT 1) IS DISTINCT FROM c.status
               OR (SELECT bool_or(s.at < prev) FROM (SELECT at, lag(at) OVER (ORDER BY id) AS prev FROM complaint_steps WHERE complaint_id = c.id) s)
               OR (c.assignee IS NULL) <> (c.status = 'received')
               OR (c.closed_at IS NOT NULL) <> (c.status IN ('resolved', 'forwarded_to_prosecutor'))
            """));
        var resolvedPath = await CountsAsync("""
            SELECT string_agg(s.status, '>' ORDER BY s.id), count(DISTINCT c.id) FROM complaints c JOIN complaint_steps s ON s.complaint_id = c.id
            WHERE c.status = 'resolved' GROUP BY c.id
            """);
        Assert.Equal(["received>assigned>under_review>resolved"], resolvedPath.Keys.Distinct());
    }

    [Fact]
    public async Task TheLastFinishedHalfYearsVenueRatingIsPublished()
    {
        var today = Kazakhstan.LocalDate(DateTimeOffset.UtcNow);
        var expected = new HalfYear(today.Year, today.Month <= 6 ? 1 : 2).Previous.ToString();
        var periods = await CountsAsync("SELECT period, count(*) FROM venue_ratings GROUP BY period");
        Assert.Equal(expected, Assert.Single(periods.Keys));
        Assert.Equal(await ScalarAsync("SELECT count(*) FROM venues WHERE synthetic"), periods[expected]);
        Assert.True(await ScalarAsync("SELECT count(*) FROM venue_ratings WHERE signals > 0") > 0);
    }

    private async Task<Dictionary<string, long>> CountsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            counts[reader.GetString(0)] = counts.GetValueOrDefault(reader.GetString(0)) + reader.GetInt64(1);
        }

        return counts;
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
