using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;

namespace PublicSafety.Feedback.Infrastructure;

/// <summary>
/// <c>dotnet run --project services/Feedback -- seed [--responses N] [--open-invitations N] [--tokens-out FILE] [--seed N]</c>:
/// loads a SYNTHETIC dataset into the database of <c>ConnectionStrings:feedbackdb</c> (migrating it first) with binary COPY:
/// interactions, invitations (60 % answered), verified and unsolicited responses, complaints, venues and 102 signals.
/// Every row has <c>synthetic = true</c> and every name says "Synthetic"; units are invented, no person is represented.
/// Open invitations get real tokens, written one per line to <c>--tokens-out</c> (for load tests); all others get
/// random hashes that no token matches.
/// </summary>
public static class SyntheticSeed
{
    private static readonly string[] Kinds = ["call_102", "application", "offence_report", "consultation_1402", "traffic_stop", "document_service"];
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

        var connectionString = configuration.GetConnectionString(Extensions.Extensions.DatabaseName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{Extensions.Extensions.DatabaseName} is not configured.");
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var runner = new MigrationRunner(dataSource, loggers.CreateLogger<MigrationRunner>());
        await runner.ApplyAsync([.. MigrationScript.Platform, .. MigrationScript.FromAssembly(typeof(SyntheticSeed).Assembly)], ct);

        var watch = Stopwatch.StartNew();
        var random = new Random(options.Seed);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var (responses, invitations) = await LoadSurveysAsync(connection, random, options.Responses, options.OpenInvitations, options.TokensOut, ct);
        var complaints = await LoadComplaintsAsync(connection, random, Math.Max(200, options.Responses / 500), ct);
        var (venues, signals) = await LoadVenuesAsync(connection, random, ct);
        // VACUUM sets the visibility map, so the indicator query's index-only scans need not visit the table.
        foreach (var statement in (string[])["VACUUM (ANALYZE) survey_responses", "VACUUM (ANALYZE) survey_invitations", "ANALYZE"])
        {
            await using var maintain = new NpgsqlCommand(statement, connection) { CommandTimeout = 0 };
            await maintain.ExecuteNonQueryAsync(ct);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SYNTHETIC dataset loaded in {watch.Elapsed.TotalSeconds:F1} s: {responses:N0} responses, {invitations:N0} invitations, {complaints:N0} complaints, {venues:N0} venues, {signals:N0} signals."));
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
                invitations[i] = (id, Guid.CreateVersion7(at), region, Unit(region, unitIndex), Kinds[random.Next(Kinds.Length)], Channels[random.Next(Channels.Length)], at,
                    unitQuality[(region, unitIndex)]);
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

    private static async Task<int> LoadComplaintsAsync(NpgsqlConnection connection, Random random, int count, CancellationToken ct)
    {
        var regions = Regions.Names.Keys.ToArray();
        var now = DateTimeOffset.UtcNow;
        await using var copy = await connection.BeginBinaryImportAsync("""
            COPY complaints (id, reference_code, region, unit, category, description, source, status, outcome, received_at, due_at, updated_at, closed_at,
                             overdue_at, synthetic)
            FROM STDIN (FORMAT BINARY)
            """, ct);
        for (var i = 0; i < count; i++)
        {
            var region = regions[random.Next(regions.Length)];
            var received = now - TimeSpan.FromDays(random.NextDouble() * 600);
            var due = received + TimeSpan.FromDays(15);
            var closed = due < now && random.Next(10) > 0;
            var status = closed ? (random.Next(5) == 0 ? ComplaintStatuses.Forwarded : ComplaintStatuses.Resolved)
                : ComplaintStatuses.Open[random.Next(ComplaintStatuses.Open.Count)];
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(Guid.CreateVersion7(received), NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(ReferenceCode.New(), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(region, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(Unit(region, random.Next(UnitsPerRegion)), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(ComplaintCategories.All[random.Next(ComplaintCategories.All.Count)], NpgsqlDbType.Text, ct);
            await copy.WriteAsync("Synthetic complaint text (not a real complaint).", NpgsqlDbType.Text, ct);
            await copy.WriteAsync("public", NpgsqlDbType.Text, ct);
            await copy.WriteAsync(status, NpgsqlDbType.Text, ct);
            if (status == ComplaintStatuses.Resolved) await copy.WriteAsync(random.Next(3) == 0 ? "upheld" : "not_upheld", NpgsqlDbType.Text, ct);
            else await copy.WriteNullAsync(ct);
            await copy.WriteAsync(received, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(due, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(closed ? due - TimeSpan.FromDays(2) : received, NpgsqlDbType.TimestampTz, ct);
            if (closed) await copy.WriteAsync(due - TimeSpan.FromDays(2), NpgsqlDbType.TimestampTz, ct);
            else await copy.WriteNullAsync(ct);
            // Historic open ones past their deadline count as already reported, so a fresh start does not publish thousands.
            if (!closed && due < now) await copy.WriteAsync(due, NpgsqlDbType.TimestampTz, ct);
            else await copy.WriteNullAsync(ct);
            await copy.WriteAsync(true, NpgsqlDbType.Boolean, ct);
        }

        await copy.CompleteAsync(ct);
        return count;
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
