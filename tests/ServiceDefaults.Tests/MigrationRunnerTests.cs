using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.Testing;

namespace PublicSafety.ServiceDefaults.Tests;

public class MigrationRunnerTests
{
    // CREATE TABLE without IF NOT EXISTS fails if a script ever runs twice.
    private static readonly MigrationScript[] Scripts =
    [
        new(1, "cases", "CREATE TABLE cases (id uuid PRIMARY KEY, region text NOT NULL);"),
        new(2, "case_events", "CREATE TABLE case_events (id bigserial PRIMARY KEY, case_id uuid NOT NULL REFERENCES cases (id));"),
        new(3, "case_index", "CREATE INDEX cases_region ON cases (region);"),
    ];

    [Fact]
    public async Task EachScriptIsAppliedOnceAcrossRuns()
    {
        await using var db = await TestDatabase.CreateAsync("migrations");
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);

        Assert.Equal(2, await runner.ApplyAsync(Scripts[..2], CancellationToken.None));
        Assert.Equal(1, await runner.ApplyAsync(Scripts, CancellationToken.None));
        Assert.Equal(0, await runner.ApplyAsync(Scripts, CancellationToken.None));

        Assert.Equal(new[] { 1, 2, 3 }, await AppliedVersions(dataSource));
    }

    [Fact]
    public async Task InstancesStartingAtTheSameMomentApplyEveryScriptExactlyOnce()
    {
        await using var db = await TestDatabase.CreateAsync("migrations");
        var sources = Enumerable.Range(0, 6).Select(_ => NpgsqlDataSource.Create(db.ConnectionString)).ToArray();
        try
        {
            using var start = new Barrier(sources.Length);
            var runs = sources.Select(source => Task.Run(async () =>
            {
                start.SignalAndWait(TimeSpan.FromSeconds(30));
                return await new MigrationRunner(source, NullLogger<MigrationRunner>.Instance).ApplyAsync(Scripts, CancellationToken.None);
            }));

            var applied = await Task.WhenAll(runs).WaitAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(Scripts.Length, applied.Sum());
            Assert.Equal(new[] { 1, 2, 3 }, await AppliedVersions(sources[0]));
        }
        finally
        {
            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AFailingScriptLeavesNoTraceAndStopsTheRun()
    {
        await using var db = await TestDatabase.CreateAsync("migrations");
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);
        MigrationScript[] scripts =
        [
            Scripts[0],
            new(2, "broken", "CREATE TABLE half_done (id int); SELECT * FROM no_such_table;"),
            Scripts[2],
        ];

        await Assert.ThrowsAsync<PostgresException>(() => runner.ApplyAsync(scripts, CancellationToken.None));

        Assert.Equal(new[] { 1 }, await AppliedVersions(dataSource));
        await using var cmd = dataSource.CreateCommand("SELECT to_regclass('half_done') IS NULL");
        Assert.True((bool)(await cmd.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task AnAppliedScriptThatWasEditedIsRefused()
    {
        await using var db = await TestDatabase.CreateAsync("migrations");
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);
        await runner.ApplyAsync(Scripts[..1], CancellationToken.None);

        var edited = new MigrationScript(1, "cases", "CREATE TABLE cases (id uuid PRIMARY KEY);");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.ApplyAsync([edited], CancellationToken.None));

        Assert.Contains("changed after it was applied", error.Message);
    }

    [Fact]
    public async Task PlatformScriptsAreAppliedFirstAndVersionedApartFromTheServices()
    {
        await using var db = await TestDatabase.CreateAsync("migrations");
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);

        // Service scripts listed first on purpose: the runner still applies the platform's before them.
        Assert.Equal(MigrationScript.Platform.Count + Scripts.Length, await runner.ApplyAsync([.. Scripts, .. MigrationScript.Platform], CancellationToken.None));
        Assert.Equal(0, await runner.ApplyAsync([.. MigrationScript.Platform, .. Scripts], CancellationToken.None));

        await using var cmd = dataSource.CreateCommand("SELECT source || ' ' || version || ' ' || name FROM schema_migrations ORDER BY applied_at, source, version");
        await using var reader = await cmd.ExecuteReaderAsync();
        var applied = new List<string>();
        while (await reader.ReadAsync())
        {
            applied.Add(reader.GetString(0));
        }

        Assert.Equal(["platform 1 outbox", "platform 2 inbox", "platform 3 data_protection_keys", "service 1 cases", "service 2 case_events", "service 3 case_index"], applied);
        await using var tables = dataSource.CreateCommand("SELECT to_regclass('outbox_messages') IS NOT NULL AND to_regclass('inbox_messages') IS NOT NULL");
        Assert.True((bool)(await tables.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task AVersionTableFromBeforeSourcesIsUpgradedAndItsScriptsCountAsTheServices()
    {
        await using var db = await TestDatabase.CreateAsync("migrations");
        await using var dataSource = NpgsqlDataSource.Create(db.ConnectionString);
        await using (var old = dataSource.CreateCommand($"""
            CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
            INSERT INTO schema_migrations (version, name, checksum) VALUES (1, 'cases', '{Scripts[0].Checksum}');
            {Scripts[0].Sql}
            """))
        {
            await old.ExecuteNonQueryAsync();
        }

        var runner = new MigrationRunner(dataSource, NullLogger<MigrationRunner>.Instance);

        Assert.Equal(MigrationScript.Platform.Count + 2, await runner.ApplyAsync([.. MigrationScript.Platform, .. Scripts], CancellationToken.None));
        Assert.Equal(new[] { 1, 2, 3 }, await AppliedVersions(dataSource));
    }

    [Fact]
    public void ScriptsAreReadFromEmbeddedResourcesInVersionOrder()
    {
        var scripts = MigrationScript.FromAssembly(typeof(MigrationRunnerTests).Assembly);

        Assert.Equal([1, 2], scripts.Select(s => s.Version));
        Assert.Equal("first", scripts[0].Name);
        Assert.All(scripts, s => Assert.Equal(MigrationScript.ServiceSource, s.Source));
        Assert.Equal(["outbox", "inbox", "data_protection_keys"], MigrationScript.Platform.Select(s => s.Name));
        Assert.All(MigrationScript.Platform, s => Assert.Equal(MigrationScript.PlatformSource, s.Source));
    }

    private static async Task<int[]> AppliedVersions(NpgsqlDataSource dataSource)
    {
        await using var cmd = dataSource.CreateCommand("SELECT version FROM schema_migrations WHERE source = 'service' ORDER BY version");
        await using var reader = await cmd.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions.ToArray();
    }
}
