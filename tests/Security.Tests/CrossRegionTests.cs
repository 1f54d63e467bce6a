using System.Text.RegularExpressions;
using PublicSafety.Testing;
using Xunit.Abstractions;

namespace PublicSafety.Security.Tests;

/// <summary>
/// Proof by enumeration (issue 17): every operation the services publish (OpenAPI and gRPC) has cross-region cases in
/// the table, or a reason in it why it carries no regional data; and every case holds. A new endpoint without a case
/// fails here before anyone has to remember it.
/// </summary>
[Collection(EnumerationCollection.Name)]
public sealed class CrossRegionTests(EnumerationPlatform platform, ITestOutputHelper output)
{
    [Fact]
    public async Task EveryOperationKeepsKz75RecordsFromAKz71CallerHoldingEveryRole()
    {
        var (operations, unplaced) = await Operations.ReadAsync(platform);
        var table = CaseTable.All();
        var failures = new List<string>();
        failures.AddRange(unplaced.Select(s => $"gRPC service {s}: not placed on a service in Operations.GrpcHosts, so it has no cases"));
        failures.AddRange(operations.Where(o => !table.ContainsKey(o.Key)).Select(o => $"{o.Service}: {o.Key}: no cross-region case and no exemption").Distinct());
        var published = operations.Select(o => o.Key).ToHashSet();
        failures.AddRange(table.Keys.Where(k => !published.Contains(k)).Select(k => $"{k}: in the case table but no service publishes it"));

        var covered = operations.Where(o => table.TryGetValue(o.Key, out var e) && e.Exempt is null).ToArray();
        var baselines = await BaselinesAsync(covered, table);
        var seed = await Seed.CreateAsync(platform);
        var runs = covered
            .SelectMany(o => table[o.Key].Cases(seed).Select((c, i) => (Operation: o, Case: c, Index: i)))
            .OrderBy(r => Rank(r.Case))
            .ToArray();
        var failed = new HashSet<Case>(ReferenceEqualityComparer.Instance);
        foreach (var (operation, @case, index) in runs)
        {
            var service = platform[operation.Service];
            if (await CheckAsync(service, @case, baselines.GetValueOrDefault((operation.Key, index))) is { Count: > 0 } problems)
            {
                failures.Add($"{operation.Service}: {operation.Key} [{@case}]: {string.Join("; ", problems)}");
                failed.Add(@case);
            }
        }

        // Last, when nothing else needs the records any more: every refusal is repeated by the national caller, who must
        // succeed, so that the refusal was the scope's and not a mistake in the call (a refusal that failed has shown enough).
        foreach (var (operation, @case, _) in runs.Where(r => r.Case.Expect == Expect.Refused && !failed.Contains(r.Case)).OrderBy(r => Order(r.Case.Call)))
        {
            var national = await Send.Async(platform[operation.Service], @case.Call, Caller.National);
            // A 409 says the call reached the record (in a state an earlier control left it in): all the control must show.
            if (!national.IsSuccess && national.Status != 409)
            {
                failures.Add($"{operation.Service}: {operation.Key} [{@case}]: control: the national caller's identical call answered {national.Summary}"
                    + $" ({Short(national.Body)}), so the refusal may not be the scope's");
            }
        }

        var exempt = operations.Where(o => table.TryGetValue(o.Key, out var e) && e.Exempt is not null).Select(o => o.Key).Distinct().ToArray();
        var report = new List<string>
        {
            $"Operations: {operations.Select(o => (o.Service, o.Key)).Distinct().Count()} ({operations.Count(o => !o.IsGrpc)} REST, {operations.Count(o => o.IsGrpc)} gRPC)"
            + $" in {platform.Services.Count} services; with cross-region cases: {covered.Length}; exempt (no regional data): {exempt.Length} distinct.",
            $"Operations x scope cases: {covered.Length} operations x {runs.Length} cases"
            + $" ({runs.Count(r => r.Case.Expect == Expect.Refused)} refused, {runs.Count(r => r.Case.Expect == Expect.Hidden)} hidden;"
            + $" {runs.Count(r => r.Case.Control || r.Case.Expect == Expect.Refused)} with a national control); failing: {failures.Count}.",
        };
        report.AddRange(covered.GroupBy(o => o.Service).Select(g =>
            $"  {g.Key}: {g.Count()} operations, {runs.Count(r => r.Operation.Service == g.Key)} cases"));
        report.AddRange(exempt.Select(k => $"  exempt {k}: {table[k].Exempt}"));
        report.AddRange(failures.Select(f => "FAIL " + f));
        Publish("security-enumeration.txt", report);
        Assert.True(failures.Count == 0, $"{failures.Count} cross-region failures:\n" + string.Join("\n", failures));
    }

    /// <summary>
    /// The aggregate cases' answers before anything is seeded, for the KZ-71 caller and the national one. The table's calls
    /// for them name no record, so a seed of empty ids builds them.
    /// </summary>
    private async Task<Dictionary<(string, int), (Reply Regional, Reply National)>> BaselinesAsync(Operation[] covered, CaseTable table)
    {
        var baselines = new Dictionary<(string, int), (Reply, Reply)>();
        foreach (var operation in covered)
        {
            var cases = table[operation.Key].Cases(Placeholder);
            for (var i = 0; i < cases.Count; i++)
            {
                if (cases[i].Baseline)
                {
                    var service = platform[operation.Service];
                    baselines[(operation.Key, i)] = (await Send.Async(service, cases[i].Call, cases[i].As), await Send.Async(service, cases[i].Call, Caller.National));
                }
            }
        }

        return baselines;
    }

    private static readonly Seed Placeholder = new(
        new CrisisSeed(Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty),
        new ProbationSeed(Guid.Empty, "", Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty),
        new FeedbackSeed(Guid.Empty, Guid.Empty, "", Guid.Empty, Guid.Empty),
        new RoadSeed(Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty),
        new CamerasSeed(Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty, Guid.Empty));

    /// <summary>Reads first, then replays and ingestion, then writes, deletes last: a refusal that fails changes as little as possible under the others.</summary>
    private static int Rank(Case c) => c.Call switch
    {
        GrpcCall => 0,
        HttpCall h when h.Method == HttpMethod.Get => 0,
        _ when c.Expect == Expect.Hidden => 1,
        HttpCall h when h.Method == HttpMethod.Delete => 3,
        _ => 2,
    };

    /// <summary>The final controls' order: reads, changes, deletes, and last the hand-over of a person to another officer (PATCH).</summary>
    private static int Order(Call call) => call is HttpCall h ? Array.IndexOf(["GET", "POST", "PUT", "DELETE", "PATCH"], h.Method.Method) : 0;

    private static async Task<List<string>> CheckAsync(Service service, Case c, (Reply Regional, Reply National) baseline)
    {
        var problems = new List<string>();
        var before = c.Observe is null ? null : await Send.Async(service, c.Observe, Caller.National);
        if (before is { IsSuccess: false })
        {
            problems.Add($"the national view {c.Observe!.Describe()} fails before the call ({before.Summary}): the case is broken");
        }

        var reply = await Send.Async(service, c.Call, c.As);
        if (reply.Status >= 500)
        {
            problems.Add($"answered {reply.Summary}: {Short(reply.Body)}");
        }
        else if (c.Expect == Expect.Refused && !((reply.Status is 403 or 404 || reply.Status == c.AlsoRefusing) && reply.IsProblem))
        {
            problems.Add($"expected a 403 or 404 problem, got {reply.Summary}: {Short(reply.Body)}");
        }

        // What the request itself carried (the id in the path, a name in the body) is no leak when an answer repeats it.
        var sent = c.Call.Text();
        if (Shown(reply, c.Secrets.Where(s => !sent.Contains(s, StringComparison.OrdinalIgnoreCase)).ToArray()) is { Length: > 0 } shown)
        {
            problems.Add($"the answer ({reply.Summary}) shows {string.Join(", ", shown)}");
        }

        if (before is not null)
        {
            var after = await Send.Async(service, c.Observe!, Caller.National);
            if (after.Status != before.Status || after.Body != before.Body)
            {
                problems.Add($"the KZ-75 record changed: {c.Observe!.Describe()} read {Short(before.Body)} before and {Short(after.Body)} after");
            }
        }

        if (c.Baseline && (reply.Status != baseline.Regional.Status || reply.Body != baseline.Regional.Body))
        {
            problems.Add($"the figures moved with KZ-75's records: {Short(baseline.Regional.Body)} before seeding, {Short(reply.Body)} after");
        }

        if (c.Control)
        {
            var national = await Send.Async(service, c.Call, Caller.National);
            var sees = c.Baseline ? national.Body != baseline.National.Body : Shown(national, c.Secrets).Length > 0;
            if (!national.IsSuccess || !sees)
            {
                problems.Add($"control: the national caller's identical call ({national.Summary}) does not show the KZ-75 records either, so the case proves nothing");
            }
        }

        return problems;
    }

    /// <summary>The secrets in the answer, read raw and with JSON's \u escapes undone (non-ASCII text is escaped on the wire).</summary>
    private static string[] Shown(Reply reply, string[] secrets)
    {
        string unescaped;
        try
        {
            unescaped = Regex.Unescape(reply.Body);
        }
        catch (ArgumentException)
        {
            unescaped = reply.Body;
        }

        return secrets.Where(s => s.Length > 0 && (reply.Body.Contains(s, StringComparison.OrdinalIgnoreCase) || unescaped.Contains(s, StringComparison.OrdinalIgnoreCase)))
            .Distinct().ToArray();
    }

    private static string Short(string body) => body.Length <= 300 ? body : body[..300] + "…";

    private void Publish(string file, IEnumerable<string> lines)
    {
        var text = string.Join('\n', lines);
        output.WriteLine(text);
        File.WriteAllText(Path.Combine(TestEnvironment.ResultsDirectory, file), text + "\n");
    }
}
