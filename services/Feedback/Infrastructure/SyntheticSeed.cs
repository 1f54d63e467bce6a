using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using Microsoft.Extensions.Options;
using PublicSafety.Feedback.Extensions;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;

namespace PublicSafety.Feedback.Infrastructure;

/// <summary>
/// <c>dotnet run --project services/Feedback -- seed [--responses N] [--open-invitations N] [--tokens-out FILE] [--seed N]</c>:
/// loads a SYNTHETIC dataset into the database of <c>ConnectionStrings:feedbackdb</c> (migrating it first) with binary COPY:
/// interactions, invitations (60 % answered), verified and unsolicited responses, interactions without consent and suppressed
/// ones (domestic violence, sexual assault, crisis-centre placements), complaints with their steps (some overdue), venues,
/// 102 signals and the last finished half-year's published venue rating.
/// Every row has <c>synthetic = true</c> and every name says "Synthetic"; units are invented, no person is represented.
/// Open invitations get real tokens, written one per line to <c>--tokens-out</c> (for load tests); all others get
/// random hashes that no token matches.
/// </summary>
public static class SyntheticSeed
{
    // Crisis placements invited here are detox-centre (ЦВАД) stays: crisis-centre ones are domestic violence, suppressed below.
    private static readonly string[] Kinds =
        ["call_102", "application", "offence_report", "consultation_1402", "traffic_stop", "document_service", InteractionKinds.CrisisPlacement, InteractionKinds.ProbationCheckIn];
    private static readonly string[] Channels = ["phone", "in_person", "on_scene", "online", "mobile_app"];
    private static readonly string[] Comments =
    [
        "Synthetic comment: the officer explained everything clearly.",
        "Synthetic comment: waited too long for the patrol to arrive.",
        "Synthetic comment: polite, but nobody told me how my case ended.",
        "Synthetic comment: please call me back on [masked].",
    ];

    public const int UnitsPerRegion = 12;

    public static string Unit(string region, int i) => $"Synthetic police department {i + 1:D2} ({region})";

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, ILoggerFactory loggers, CancellationToken ct)
    {
        var options = Parse(args);
        if (options is null)
        {
            Console.Error.WriteLine("usage: seed [--responses N] [--open-invitations N] [--tokens-out FILE] [--seed N]");
            return 2;
        }

        // The service's own data source and migrations (ServiceDefaults), without the rest of the service: no broker, no web host.
        var database = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = typeof(SyntheticSeed).Assembly.GetName().Name });
        database.Configuration.AddConfiguration(configuration);
        database.Services.AddSingleton(loggers);
        database.AddServiceDatabase(Extensions.Extensions.DatabaseName, typeof(SyntheticSeed).Assembly);
        using var host = database.Build();
        await host.Services.MigrateAsync(ct);
        var dataSource = host.Services.GetRequiredService<NpgsqlDataSource>();

        var watch = Stopwatch.StartNew();
        var random = new Random(options.Seed);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var (responses, invitations) = await LoadSurveysAsync(connection, random, options.Responses, options.OpenInvitations, options.TokensOut, ct);
        // One uninvited interaction for every ten invitations: few enough not to slow the big load, enough for the counts to show.
        var (noConsent, suppressed) = await LoadUninvitedAsync(connection, random, Math.Max(100, invitations / 10), ct);
        var complaints = await LoadComplaintsAsync(connection, random, Math.Max(200, options.Responses / 500), ct);
        var (venues, signals) = await LoadVenuesAsync(connection, random, ct);
        var published = await PublishLastHalfYearAsync(dataSource, configuration, ct);
        // VACUUM sets the visibility map, so the indicator query's index-only scans need not visit the table.
        foreach (var statement in (string[])["VACUUM (ANALYZE) survey_responses", "VACUUM (ANALYZE) survey_invitations", "ANALYZE"])
        {
            await using var maintain = new NpgsqlCommand(statement, connection) { CommandTimeout = 0 };
            await maintain.ExecuteNonQueryAsync(ct);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SYNTHETIC dataset loaded in {watch.Elapsed.TotalSeconds:F1} s: {responses:N0} responses, {invitations:N0} invitations, " +
            $"{noConsent:N0} interactions without consent, {suppressed:N0} suppressed, {complaints:N0} complaints, {venues:N0} venues, {signals:N0} signals, " +
            $"venue rating {published} published."));
        return 0;
    }

    private sealed record SeedOptions(int Responses, int OpenInvitations, string? TokensOut, int Seed);

    private static SeedOptions? Parse(string[] args)
    {
        var o = new SeedOptions(100_000, 0, null, 5);
        for (var i = 1; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--responses" when int.TryParse(value, out var n) && n >= 0: o = o with { Responses = n }; i++; break;
                case "--open-invitations" when int.TryParse(value, out var n) && n >= 0: o = o with { OpenInvitations = n }; i++; break;
                case "--tokens-out" when value is not null: o = o with { TokensOut = value }; i++; break;
                case "--seed" when int.TryParse(value, out var n): o = o with { Seed = n }; i++; break;
                default: return null;
            }
        }

        return o;
    }

    /// <summary>
    /// 85 % of the responses answer an invitation (verified), 15 % are unsolicited. Invitations are answered at a 60 % rate, so
    /// unanswered ones are added; open invitations (valid for 30 days, with known tokens) come on top.
    /// </summary>
    private static async Task<(int Responses, int Invitations)> LoadSurveysAsync(
        NpgsqlConnection connection, Random random, int responses, int open, string? tokensOut, CancellationToken ct)
    {
        var regions = Regions.Names.Keys.ToArray();
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var now = DateTimeOffset.UtcNow;
        var span = (now - TimeSpan.FromDays(1) - start).TotalSeconds;
        var verified = responses * 85 / 100;
        var unanswered = verified * 2 / 3;
        var totalInvitations = verified + unanswered + open;
        // A unit's own satisfaction level, so that breakdowns differ and a few units fall below target.
        var unitQuality = regions.SelectMany(r => Enumerable.Range(0, UnitsPerRegion).Select(i => (r, i))).ToDictionary(k => k, _ => 0.55 + random.NextDouble() * 0.35);
        using var tokens = tokensOut is null ? null : new StreamWriter(tokensOut);

        var invitations = new (Guid Id, Guid InvitationId, string Region, string Unit, string Kind, string Channel, DateTimeOffset At, double Quality)[totalInvitations];
        await using (var interactionsCopy = await connection.BeginBinaryImportAsync("""
            COPY interactions (id, source_system, source_reference, kind, region, unit, channel, occurred_at, recorded_at, survey, synthetic)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var i = 0; i < totalInvitations; i++)
            {
                var region = regions[random.Next(regions.Length)];
                var unitIndex = random.Next(UnitsPerRegion);
                var at = i >= verified + unanswered ? now - TimeSpan.FromHours(random.Next(1, 72)) : start + TimeSpan.FromSeconds(random.NextDouble() * span);
                var id = Guid.CreateVersion7(at);
                var kind = Kinds[random.Next(Kinds.Length)];
                var channel = ChannelOf(kind, random);
                invitations[i] = (id, Guid.CreateVersion7(at), region, Unit(region, unitIndex), kind, channel, at, unitQuality[(region, unitIndex)]);
                await interactionsCopy.StartRowAsync(ct);
                await interactionsCopy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                await interactionsCopy.WriteAsync("synthetic-seed", NpgsqlDbType.Text, ct);
                await interactionsCopy.WriteAsync(id.ToString("N"), NpgsqlDbType.Text, ct);
                await interactionsCopy.WriteAsync(invitations[i].Kind, NpgsqlDbType.Text, ct);
                await interactionsCopy.WriteAsync(region, NpgsqlDbType.Text, ct);
                await interactionsCopy.WriteAsync(invitations[i].Unit, NpgsqlDbType.Text, ct);
                await interactionsCopy.WriteAsync(invitations[i].Channel, NpgsqlDbType.Text, ct);
                await interactionsCopy.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
                await interactionsCopy.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
                await interactionsCopy.WriteAsync(SurveyDecisions.Invited, NpgsqlDbType.Text, ct);
                await interactionsCopy.WriteAsync(true, NpgsqlDbType.Boolean, ct);
            }

            await interactionsCopy.CompleteAsync(ct);
        }

        await using (var invitationsCopy = await connection.BeginBinaryImportAsync("""
            COPY survey_invitations (id, interaction_id, token_hash, region, unit, kind, channel, occurred_at, issued_at, expires_at, used_at)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var i = 0; i < totalInvitations; i++)
            {
                var inv = invitations[i];
                var isOpen = i >= verified + unanswered;
                byte[] hash;
                if (isOpen && tokens is not null)
                {
                    var token = SurveyToken.New();
                    await tokens.WriteLineAsync(token);
                    hash = SurveyToken.Hash(token);
                }
                else
                {
                    hash = RandomNumberGenerator.GetBytes(32);
                }

                await invitationsCopy.StartRowAsync(ct);
                await invitationsCopy.WriteAsync(inv.InvitationId, NpgsqlDbType.Uuid, ct);
                await invitationsCopy.WriteAsync(inv.Id, NpgsqlDbType.Uuid, ct);
                await invitationsCopy.WriteAsync(hash, NpgsqlDbType.Bytea, ct);
                await invitationsCopy.WriteAsync(inv.Region, NpgsqlDbType.Text, ct);
                await invitationsCopy.WriteAsync(inv.Unit, NpgsqlDbType.Text, ct);
                await invitationsCopy.WriteAsync(inv.Kind, NpgsqlDbType.Text, ct);
                await invitationsCopy.WriteAsync(inv.Channel, NpgsqlDbType.Text, ct);
                await invitationsCopy.WriteAsync(inv.At, NpgsqlDbType.TimestampTz, ct);
                await invitationsCopy.WriteAsync(inv.At, NpgsqlDbType.TimestampTz, ct);
                await invitationsCopy.WriteAsync(isOpen ? now + TimeSpan.FromDays(30) : inv.At + TimeSpan.FromDays(14), NpgsqlDbType.TimestampTz, ct);
                if (i < verified)
                {
                    await invitationsCopy.WriteAsync(inv.At + TimeSpan.FromHours(6), NpgsqlDbType.TimestampTz, ct);
                }
                else
                {
                    await invitationsCopy.WriteNullAsync(ct);
                }
            }

            await invitationsCopy.CompleteAsync(ct);
        }

        await using (var responsesCopy = await connection.BeginBinaryImportAsync("""
            COPY survey_responses (id, invitation_id, verified, region, unit, kind, channel, submitted_at,
                                   overall, legality, thoroughness, timeliness, respect, informedness, comment, synthetic)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var i = 0; i < responses; i++)
            {
                var isVerified = i < verified;
                var inv = isVerified ? invitations[i] : invitations[random.Next(verified)];
                var at = isVerified ? inv.At + TimeSpan.FromHours(6) : start + TimeSpan.FromSeconds(random.NextDouble() * span);
                var overall = Score(random, inv.Quality);
                await responsesCopy.StartRowAsync(ct);
                await responsesCopy.WriteAsync(Guid.CreateVersion7(at), NpgsqlDbType.Uuid, ct);
                if (isVerified)
                {
                    await responsesCopy.WriteAsync(inv.InvitationId, NpgsqlDbType.Uuid, ct);
                }
                else
                {
                    await responsesCopy.WriteNullAsync(ct);
                }

                await responsesCopy.WriteAsync(isVerified, NpgsqlDbType.Boolean, ct);
                await responsesCopy.WriteAsync(inv.Region, NpgsqlDbType.Text, ct);
                await responsesCopy.WriteAsync(inv.Unit, NpgsqlDbType.Text, ct);
                await responsesCopy.WriteAsync(inv.Kind, NpgsqlDbType.Text, ct);
                await responsesCopy.WriteAsync(inv.Channel, NpgsqlDbType.Text, ct);
                await responsesCopy.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
                await responsesCopy.WriteAsync(overall, NpgsqlDbType.Smallint, ct);
                for (var c = 0; c < Criteria.All.Count; c++)
                {
                    if (random.Next(20) == 0)
                    {
                        await responsesCopy.WriteNullAsync(ct);
                    }
                    else
                    {
                        await responsesCopy.WriteAsync((short)Math.Clamp(overall + random.Next(-1, 2), 1, 5), NpgsqlDbType.Smallint, ct);
                    }
                }

                if (random.Next(20) == 0)
                {
                    await responsesCopy.WriteAsync(Comments[random.Next(Comments.Length)], NpgsqlDbType.Text, ct);
                }
                else
                {
                    await responsesCopy.WriteNullAsync(ct);
                }

                await responsesCopy.WriteAsync(true, NpgsqlDbType.Boolean, ct);
            }

            await responsesCopy.CompleteAsync(ct);
        }

        return (responses, totalInvitations);
    }

    private static short Score(Random random, double quality)
    {
        var satisfied = random.NextDouble() < quality;
        return (short)(satisfied ? random.Next(4, 6) : random.Next(1, 4));
    }

    /// <summary>
    /// Interactions that got no invitation, as the service records them: 55 % without the citizen's consent, the others held back
    /// by the default suppression rules (domestic-violence and sexual-assault offence reports, crisis-centre placements), so the
    /// indicators' suppressed counts and the no-consent share are not empty.
    /// </summary>
    private static async Task<(int NoConsent, int Suppressed)> LoadUninvitedAsync(NpgsqlConnection connection, Random random, int count, CancellationToken ct)
    {
        var regions = Regions.Names.Keys.ToArray();
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var span = (DateTimeOffset.UtcNow - TimeSpan.FromDays(1) - start).TotalSeconds;
        var (noConsent, suppressed) = (0, 0);
        await using var copy = await connection.BeginBinaryImportAsync("""
            COPY interactions (id, source_system, source_reference, kind, offence_category, region, unit, channel, occurred_at, recorded_at,
                               survey, suppressed_by, synthetic)
            FROM STDIN (FORMAT BINARY)
            """, ct);
        for (var i = 0; i < count; i++)
        {
            var region = regions[random.Next(regions.Length)];
            var at = start + TimeSpan.FromSeconds(random.NextDouble() * span);
            var id = Guid.CreateVersion7(at);
            string kind, channel, survey;
            string? offence = null, rule = null;
            if (random.Next(100) < 55)
            {
                kind = Kinds[random.Next(Kinds.Length)];
                channel = ChannelOf(kind, random);
                survey = SurveyDecisions.NoConsent;
                noConsent++;
            }
            else
            {
                (kind, offence, rule, channel) = random.Next(3) switch
                {
                    0 => ("offence_report", OffenceCategories.DomesticViolence, "domestic-violence", Channels[random.Next(Channels.Length)]),
                    1 => ("offence_report", OffenceCategories.SexualAssault, "sexual-assault", Channels[random.Next(Channels.Length)]),
                    _ => (InteractionKinds.CrisisPlacement, OffenceCategories.DomesticViolence, "domestic-violence", "partner_service"),
                };
                survey = SurveyDecisions.Suppressed;
                suppressed++;
            }

            await copy.StartRowAsync(ct);
            await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync("synthetic-seed", NpgsqlDbType.Text, ct);
            await copy.WriteAsync(id.ToString("N"), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(kind, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, offence, ct);
            await copy.WriteAsync(region, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(Unit(region, random.Next(UnitsPerRegion)), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(channel, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(survey, NpgsqlDbType.Text, ct);
            await WriteNullableAsync(copy, rule, ct);
            await copy.WriteAsync(true, NpgsqlDbType.Boolean, ct);
        }

        await copy.CompleteAsync(ct);
        return (noConsent, suppressed);
    }

    /// <summary>The channel the consumers record for their kinds (PlacementEndedConsumer, ProbationCheckInRecordedConsumer); any other kind any channel.</summary>
    private static string ChannelOf(string kind, Random random) => kind switch
    {
        InteractionKinds.CrisisPlacement => "partner_service",
        InteractionKinds.ProbationCheckIn => "in_person",
        _ => Channels[random.Next(Channels.Length)],
    };

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value, CancellationToken ct)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(ct);
        }
        else
        {
            await copy.WriteAsync(value, NpgsqlDbType.Text, ct);
        }
    }

    private sealed record SeedStep(Guid ComplaintId, string Status, string Actor, string? Reason, DateTimeOffset At);

    /// <summary>
    /// Complaints over the last 600 days with the steps the API would have recorded: received (citizen), assigned to a handler,
    /// under review, then resolved (upheld or not) or forwarded to the prosecutor. Those still open past their deadline are
    /// overdue (marked as already reported, so a fresh start does not publish thousands of ComplaintOverdue).
    /// </summary>
    private static async Task<int> LoadComplaintsAsync(NpgsqlConnection connection, Random random, int count, CancellationToken ct)
    {
        var regions = Regions.Names.Keys.ToArray();
        var now = DateTimeOffset.UtcNow;
        var steps = new List<SeedStep>(count * 4);
        await using (var copy = await connection.BeginBinaryImportAsync("""
            COPY complaints (id, reference_code, region, unit, category, description, source, status, outcome, assignee, received_at, due_at, updated_at,
                             closed_at, overdue_at, synthetic)
            FROM STDIN (FORMAT BINARY)
            """, ct))
        {
            for (var i = 0; i < count; i++)
            {
                var region = regions[random.Next(regions.Length)];
                var received = now - TimeSpan.FromDays(random.NextDouble() * 600);
                var due = received + TimeSpan.FromDays(15);
                var closed = due < now && random.Next(10) > 0;
                var status = closed ? (random.Next(8) == 0 ? ComplaintStatuses.Forwarded : ComplaintStatuses.Resolved)
                    : ComplaintStatuses.Open[random.Next(ComplaintStatuses.Open.Count)];
                var outcome = status == ComplaintStatuses.Resolved ? (random.Next(3) == 0 ? "upheld" : "not_upheld") : null;
                var id = Guid.CreateVersion7(received);
                var handler = $"Synthetic handler {random.Next(1, 25):D2}";

                // Steps are spread over the complaint's life so far (up to its deadline, or to now while it is young).
                var life = (closed ? due - TimeSpan.FromDays(2) : (due < now ? due : now)) - received;
                steps.Add(new SeedStep(id, ComplaintStatuses.Received, "citizen", null, received));
                string[] path = closed
                    ? (status == ComplaintStatuses.Forwarded && random.Next(2) == 0
                        ? [ComplaintStatuses.Assigned, ComplaintStatuses.Forwarded]
                        : [ComplaintStatuses.Assigned, ComplaintStatuses.UnderReview, status])
                    : status switch
                    {
                        ComplaintStatuses.Received => [],
                        ComplaintStatuses.Assigned => [ComplaintStatuses.Assigned],
                        _ => [ComplaintStatuses.Assigned, ComplaintStatuses.UnderReview],
                    };
                var at = received;
                for (var k = 0; k < path.Length; k++)
                {
                    at = received + life * (k + 1) / path.Length;
                    steps.Add(new SeedStep(id, path[k], handler, path[k] switch
                    {
                        ComplaintStatuses.Assigned => "Synthetic: assigned to the unit's internal security officer",
                        ComplaintStatuses.UnderReview => "Synthetic: statements requested",
                        ComplaintStatuses.Resolved => outcome == "upheld" ? "Synthetic: upheld, disciplinary proceedings opened" : "Synthetic: not upheld, no breach found",
                        _ => "Synthetic: signs of a criminal offence, forwarded to the prosecutor",
                    }, at));
                }

                await copy.StartRowAsync(ct);
                await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(ReferenceCode.New(), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(region, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(Unit(region, random.Next(UnitsPerRegion)), NpgsqlDbType.Text, ct);
                await copy.WriteAsync(ComplaintCategories.All[random.Next(ComplaintCategories.All.Count)], NpgsqlDbType.Text, ct);
                await copy.WriteAsync("Synthetic complaint text (not a real complaint).", NpgsqlDbType.Text, ct);
                await copy.WriteAsync("public", NpgsqlDbType.Text, ct);
                await copy.WriteAsync(status, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, outcome, ct);
                await WriteNullableAsync(copy, status == ComplaintStatuses.Received ? null : handler, ct);
                await copy.WriteAsync(received, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(due, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
                if (closed) await copy.WriteAsync(at, NpgsqlDbType.TimestampTz, ct);
                else await copy.WriteNullAsync(ct);
                if (!closed && due < now) await copy.WriteAsync(due, NpgsqlDbType.TimestampTz, ct);
                else await copy.WriteNullAsync(ct);
                await copy.WriteAsync(true, NpgsqlDbType.Boolean, ct);
            }

            await copy.CompleteAsync(ct);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY complaint_steps (complaint_id, status, actor, reason, at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var step in steps)
            {
                await copy.StartRowAsync(ct);
                await copy.WriteAsync(step.ComplaintId, NpgsqlDbType.Uuid, ct);
                await copy.WriteAsync(step.Status, NpgsqlDbType.Text, ct);
                await copy.WriteAsync(step.Actor, NpgsqlDbType.Text, ct);
                await WriteNullableAsync(copy, step.Reason, ct);
                await copy.WriteAsync(step.At, NpgsqlDbType.TimestampTz, ct);
            }

            await copy.CompleteAsync(ct);
        }

        return count;
    }

    /// <summary>
    /// Publishes the last finished half-year's venue rating with the service's own rules (VenueStore, the configured weights),
    /// so the public rating has something to show; a half-year already published is left as it is.
    /// </summary>
    private static async Task<string> PublishLastHalfYearAsync(NpgsqlDataSource dataSource, IConfiguration configuration, CancellationToken ct)
    {
        var options = configuration.GetSection(FeedbackOptions.Section).Get<FeedbackOptions>() ?? new FeedbackOptions();
        var today = Kazakhstan.LocalDate(DateTimeOffset.UtcNow);
        var period = new HalfYear(today.Year, today.Month <= 6 ? 1 : 2).Previous;
        await new VenueStore(dataSource, TimeProvider.System, new FixedOptions(options)).PublishAsync(period, ct);
        return period.ToString();
    }

    private sealed class FixedOptions(FeedbackOptions value) : IOptionsMonitor<FeedbackOptions>
    {
        public FeedbackOptions CurrentValue => value;

        public FeedbackOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<FeedbackOptions, string?> listener) => null;
    }

    private static async Task<(int Venues, int Signals)> LoadVenuesAsync(NpgsqlConnection connection, Random random, CancellationToken ct)
    {
        var regions = Regions.Names.Keys.ToArray();
        var now = DateTimeOffset.UtcNow;
        var venues = new List<Guid>();
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY venues (id, name, kind, region, settlement, address, created_at, synthetic) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var region in regions)
            {
                for (var i = 0; i < 15; i++)
                {
                    var id = Guid.CreateVersion7();
                    venues.Add(id);
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(id, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync($"Synthetic venue {i + 1:D2} ({region})", NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(VenueKinds.All[random.Next(VenueKinds.All.Count)], NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(region, NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(Regions.Names[region], NpgsqlDbType.Text, ct);
                    await copy.WriteAsync($"Synthetic street {i + 1} (not a real place)", NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                }
            }

            await copy.CompleteAsync(ct);
        }

        var signals = 0;
        await using (var copy = await connection.BeginBinaryImportAsync(
            "COPY venue_signals (id, venue_id, source_system, call_reference, signal_type, received_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var venue in venues)
            {
                // Most venues see few signals; some many.
                var n = random.Next(4) == 0 ? random.Next(10, 40) : random.Next(0, 5);
                for (var k = 0; k < n; k++)
                {
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(venue, NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync("synthetic-seed", NpgsqlDbType.Text, ct);
                    await copy.WriteAsync($"SYN-102-{venue:N}-{k}", NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(VenueSignalTypes.All[random.Next(VenueSignalTypes.All.Count)], NpgsqlDbType.Text, ct);
                    await copy.WriteAsync(now - TimeSpan.FromDays(random.NextDouble() * 540), NpgsqlDbType.TimestampTz, ct);
                    signals++;
                }
            }

            await copy.CompleteAsync(ct);
        }

        return (venues.Count, signals);
    }
}
