namespace PublicSafety.Security.Tests;

public enum Expect
{
    /// <summary>A targeted read, write, delete or create outside the caller's scope: a 403 or 404 problem, never 2xx or 5xx.</summary>
    Refused,

    /// <summary>A list, search, feed, export, replay or ingestion: any answer but a 5xx, never carrying a secret.</summary>
    Hidden,
}

/// <summary>
/// One cross-region case: the KZ-71 caller's call and what must hold. <see cref="Secrets"/> (KZ-75 ids and markers) are never
/// in the answer, whatever its status. <see cref="Observe"/> is a national read of the record aimed at, compared before
/// and after. <see cref="Control"/>: the same call by the national caller does show a secret, so that the case can fail at
/// all. <see cref="Baseline"/>: the answer equals the KZ-71 caller's answer before anything was seeded (aggregates that
/// name no record).
/// </summary>
public sealed record Case(Expect Expect, Call Call)
{
    public Caller As { get; init; } = Caller.Regional;

    public Call? Observe { get; init; }

    public string[] Secrets { get; init; } = [];

    public bool Control { get; init; }

    public bool Baseline { get; init; }

    /// <summary>A status besides 403 and 404 that refuses the call too (a batch's per-row report).</summary>
    public int? AlsoRefusing { get; init; }

    /// <summary>The shape it was written in, for the report.</summary>
    public string Shape { get; init; } = "";

    public override string ToString() => $"{Shape} {Call.Describe()}{(As == Caller.Regional ? "" : $" as {As}")}";
}

/// <summary>The shapes the table is written in.</summary>
public static class Shapes
{
    /// <summary>A GET of one KZ-75 record (or of something only it has): refused, and the record reads the same afterwards.</summary>
    public static Case Read(string path, params string[] secrets) =>
        new(Expect.Refused, HttpCall.Get(path)) { Observe = HttpCall.Get(path), Secrets = secrets, Shape = "Read" };

    /// <summary>A change to a KZ-75 record: refused, and <paramref name="observe"/> (national) reads the same afterwards.</summary>
    public static Case Write(Call call, Call observe, params string[] secrets) =>
        new(Expect.Refused, call) { Observe = observe, Secrets = secrets, Shape = "Write" };

    /// <summary>A new record whose body names KZ-75: refused (nothing to observe: a 2xx fails the case by itself).</summary>
    public static Case Create(Call call) => new(Expect.Refused, call) { Shape = "Create" };

    /// <summary>
    /// A batch import whose rows name KZ-75: refused as a whole. Such imports are all or nothing with a report of every bad
    /// row, so a 400 naming the row's region is as good a refusal as a 403 (nothing is imported either way).
    /// </summary>
    public static Case Import(Call call) => new(Expect.Refused, call) { AlsoRefusing = 400, Shape = "Import" };

    /// <summary>A list, search, feed or export: no secret in it, and the national caller's identical call shows one.</summary>
    public static Case List(Call call, params string[] secrets) => new(Expect.Hidden, call) { Secrets = secrets, Control = true, Shape = "List" };

    /// <summary>A list the national caller can't be shown to see through (said why at the call site): no secret in it.</summary>
    public static Case ListUncontrolled(Call call, params string[] secrets) => new(Expect.Hidden, call) { Secrets = secrets, Shape = "List" };

    /// <summary>The KZ-75 record's idempotency key or source reference again: never its content, and it stays as it was.</summary>
    public static Case Replay(Call call, Call? observe, params string[] secrets) => new(Expect.Hidden, call) { Observe = observe, Secrets = secrets, Shape = "Replay" };

    /// <summary>A vendor batch for KZ-75 devices from the vendor's KZ-71 token: nothing of it applied, nothing of theirs shown.</summary>
    public static Case Ingest(Call call, Call observe, params string[] secrets) =>
        new(Expect.Hidden, call) { As = Caller.Vendor, Observe = observe, Secrets = secrets, Shape = "Ingest" };

    /// <summary>Figures that name no record: the KZ-71 caller's answer is the one it got before KZ-75 was seeded, while the national one changed.</summary>
    public static Case Aggregate(Call call) => new(Expect.Hidden, call) { Baseline = true, Control = true, Shape = "Aggregate" };
}

/// <summary>
/// What the table says of one operation: its cases, or why it carries no regional data. <see cref="Example"/> is a valid
/// call for the fuzz test to start from; without one it takes the first case's call.
/// </summary>
public sealed record Entry(Func<Seed, IReadOnlyList<Case>> Cases, string? Exempt = null, Func<Seed, Call>? Example = null);

/// <summary>The case table: one entry per operation, keyed "METHOD /path/{template}" or "gRPC package.Service/Method".</summary>
public sealed class CaseTable : Dictionary<string, Entry>
{
    public void Add(string operation, Func<Seed, Case[]> cases) => Add(operation, new Entry(cases));

    /// <summary>No regional data: <paramref name="reason"/> says why; <paramref name="example"/> is for the fuzz test.</summary>
    public static Entry Exempt(string reason, Func<Seed, Call> example) => new(_ => [], reason, example);

    public static CaseTable All()
    {
        var table = new CaseTable();
        foreach (var part in new[] { CrisisCases.Table, ProbationCases.Table, FeedbackCases.Table, RoadCases.Table, CamerasCases.Table, GrpcCases.Table })
        {
            foreach (var (key, entry) in part)
            {
                table.Add(key, entry);
            }
        }

        return table;
    }

    public Call ExampleOf(string operation, Seed seed) =>
        this[operation].Example?.Invoke(seed) ?? this[operation].Cases(seed)[0].Call;
}
