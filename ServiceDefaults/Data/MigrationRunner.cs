using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PublicSafety.ServiceDefaults.Data;

/// <summary>
/// Applies a service's versioned SQL scripts (DESIGN §6): embedded resources named <c>NNNN_description.sql</c>,
/// each in its own transaction, in version order, recorded in <c>schema_migrations</c>, under a session advisory lock
/// so that replicas starting together apply every script exactly once.
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
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    checksum   text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);

            var applied = await ReadApplied(connection, cancellationToken);
            var count = 0;
            foreach (var script in scripts.OrderBy(s => s.Version))
            {
                if (applied.TryGetValue(script.Version, out var checksum))
                {
                    if (checksum != script.Checksum)
                    {
                        throw new InvalidOperationException(
                            $"Migration {script.Version} ({script.Name}) was changed after it was applied; add a new script instead.");
                    }

                    continue;
                }

                await using var tx = await connection.BeginTransactionAsync(cancellationToken);
                await Execute(connection, script.Sql, cancellationToken);
                await Execute(connection, "INSERT INTO schema_migrations (version, name, checksum) VALUES (@v, @n, @c)",
                    cancellationToken, ("v", script.Version), ("n", script.Name), ("c", script.Checksum));
                await tx.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {MigrationVersion} {MigrationName}", script.Version, script.Name);
                count++;
            }

            return count;
        }
        finally
        {
            await Execute(connection, "SELECT pg_advisory_unlock(@key)", CancellationToken.None, ("key", AdvisoryLockKey));
        }
    }

    private static async Task<Dictionary<int, string>> ReadApplied(NpgsqlConnection connection, CancellationToken ct)
    {
        var applied = new Dictionary<int, string>();
        await using var cmd = new NpgsqlCommand("SELECT version, checksum FROM schema_migrations", connection);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
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

/// <summary>One versioned SQL script.</summary>
public sealed record MigrationScript(int Version, string Name, string Sql)
{
    public string Checksum { get; } = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>
    /// Reads the embedded resources of <paramref name="assembly"/> named <c>migrations.NNNN_description.sql</c>
    /// (Directory.Build.targets embeds a service's <c>Infrastructure/Migrations/*.sql</c> under that name).
    /// </summary>
    public static IReadOnlyList<MigrationScript> FromAssembly(Assembly assembly)
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
            scripts.Add(new MigrationScript(version, fileName[(separator + 1)..], reader.ReadToEnd()));
        }

        var duplicate = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        return duplicate is null
            ? scripts.OrderBy(s => s.Version).ToArray()
            : throw new InvalidOperationException($"Two migrations share version {duplicate.Key}.");
    }
}
