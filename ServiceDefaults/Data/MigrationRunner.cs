using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PublicSafety.ServiceDefaults.Data;

/// <summary>
/// Applies versioned SQL scripts (DESIGN §6): the platform's own (outbox, inbox; shipped in this assembly) first, then the
/// service's, each in its own transaction, in version order within its source, recorded in <c>schema_migrations</c> under
/// (source, version), under a session advisory lock so that replicas starting together apply every script exactly once.
/// </summary>
public sealed class MigrationRunner(NpgsqlDataSource dataSource, ILogger<MigrationRunner> logger)
{
    // Any constant works: each service owns its database, so the lock only has to be unique within one.
    private const long AdvisoryLockKey = 0x5073_4D69_6772; // "PsMigr"

    public async Task<int> ApplyAsync(IReadOnlyList<MigrationScript> scripts, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await Execute(connection, "SELECT pg_advisory_lock(@key)", cancellationToken, ("key", AdvisoryLockKey));
        try
        {
            await Execute(connection, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    source     text        NOT NULL DEFAULT 'service',
                    version    integer     NOT NULL,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (source, version));
                -- Databases migrated before scripts had a source: all their scripts were the service's.
                ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS source text NOT NULL DEFAULT 'service';
                DO $$ BEGIN
                    IF (SELECT count(*) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                        WHERE i.indrelid = 'schema_migrations'::regclass AND i.indisprimary) = 1 THEN
                        ALTER TABLE schema_migrations DROP CONSTRAINT schema_migrations_pkey;
                        ALTER TABLE schema_migrations ADD PRIMARY KEY (source, version);
                    END IF;
                END $$;
                """, cancellationToken);

            var applied = await ReadApplied(connection, cancellationToken);
            var count = 0;
            foreach (var script in MigrationScript.InApplyOrder(scripts))
            {
                if (applied.TryGetValue((script.Source, script.Version), out var checksum))
                {
                    if (checksum != script.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {script.Source} {script.Version} ({script.Name}) was changed after it was applied; add a new script instead.");
                    }

                    continue;
                }

                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, script.Sql, cancellationToken);
                await Execute(connection, "INSERT INTO schema_migrations (source, version, name, checksum) VALUES (@s, @v, @n, @c)",
                    cancellationToken, ("s", script.Source), ("v", script.Version), ("n", script.Name), ("c", script.Checksum));
                await tx.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {MigrationSource} {MigrationVersion} {MigrationName}", script.Source, script.Version, script.Name);
                count++;
            }

            return count;
        }
        finally
        {
            // Pooled connections are not reset on return (ServiceDatabase): undo any SET a script made, and the lock.
            await Execute(connection, "RESET ALL; SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
    }

    private static async Task<Dictionary<(string, int), string>> ReadApplied(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = new Dictionary<(string, int), string>();
        await using var cmd = new NpgsqlCommand("SELECT source, version, checksum FROM schema_migrations", connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            applied[(reader.GetString(0), reader.GetInt32(1))] = reader.GetString(2);
        }

        return applied;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>One versioned SQL script of a source: <see cref="PlatformSource"/> (ServiceDefaults) or <see cref="ServiceSource"/>.</summary>
public sealed record MigrationScript(int Version, string Name, string Sql, string Source = MigrationScript.ServiceSource)
{
    /// <summary>The platform's tables every service database has (outbox, inbox); applied before the service's own.</summary>
    public const string PlatformSource = "platform";

    public const string ServiceSource = "service";

    public string Checksum { get; } = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>The platform's scripts, shipped in this assembly (<c>Data/Migrations/*.sql</c>).</summary>
    public static IReadOnlyList<MigrationScript> Platform { get; } = FromAssembly(typeof(MigrationScript).Assembly, PlatformSource);

    /// <summary>Platform scripts first (services may rely on its tables), then every other source, each in version order.</summary>
    public static IEnumerable<MigrationScript> InApplyOrder(IEnumerable<MigrationScript> scripts) =>
        scripts.OrderBy(s => s.Source == PlatformSource ? 0 : 1).ThenBy(s => s.Source, StringComparer.Ordinal).ThenBy(s => s.Version);

    /// <summary>
    /// Reads the embedded resources of <paramref name="assembly"/> named <c>migrations.NNNN_description.sql</c>
    /// (Directory.Build.targets embeds a service's <c>Infrastructure/Migrations/*.sql</c> under that name).
    /// </summary>
    public static IReadOnlyList<MigrationScript> FromAssembly(Assembly assembly, string source = ServiceSource)
    {
        const string prefix = "migrations.";
        var scripts = new List<MigrationScript>();
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..^4];
            var separator = fileName.IndexOf('_');
            if (separator <= 0 || !int.TryParse(fileName[..separator], out var version))
            {
                throw new InvalidOperationException($"Migration resource '{resource}' is not named NNNN_description.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            scripts.Add(new MigrationScript(version, fileName[(separator + 1)..], reader.ReadToEnd(), source));
        }

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? scripts.OrderBy(s => s.Version).ToArray()
            : throw new InvalidOperationException($"Two migrations share version {duplicate.Key}.");
    }
}
