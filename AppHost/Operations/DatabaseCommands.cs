using System.Globalization;
using Npgsql;

namespace PublicSafety.AppHost.Operations;

/// <summary>
/// The outbox of a service's database (docs/operations.md, "What to watch"): events committed but not yet published,
/// the oldest one's age and its last error. A backlog that grows while the broker is up is the first thing to look at.
/// </summary>
internal static class DatabaseCommands
{
    public static IResourceBuilder<IResourceWithConnectionString> WithOutboxCommand(this IResourceBuilder<IResourceWithConnectionString> database)
    {
        database.ApplicationBuilder.CreateResourceBuilder(database.Resource).WithCommand("outbox", "Outbox backlog", async context =>
        {
            await using var connection = new NpgsqlConnection(await database.Resource.GetConnectionStringAsync(context.CancellationToken));
            await connection.OpenAsync(context.CancellationToken);
            await using var command = new NpgsqlCommand("""
                SELECT count(*), min(created_at), max(attempts), (array_agg(last_error ORDER BY id) FILTER (WHERE last_error IS NOT NULL))[1]
                FROM outbox_messages WHERE sent_at IS NULL
                """, connection);
            try
            {
                await using var reader = await command.ExecuteReaderAsync(context.CancellationToken);
                await reader.ReadAsync(context.CancellationToken);
                var unsent = reader.GetInt64(0);
                if (unsent == 0)
                {
                    return CommandResults.Success("Outbox empty: every event is published.");
                }

                var age = DateTime.UtcNow - reader.GetDateTime(1);
                var error = reader.IsDBNull(3) ? "none" : reader.GetString(3);
                return CommandResults.Success(string.Create(CultureInfo.InvariantCulture,
                    $"{unsent} unpublished event(s); oldest {age.TotalSeconds:0} s old; most attempts {reader.GetInt32(2)}; last error: {error}"));
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                return CommandResults.Success("No outbox yet: the service has not migrated this database.");
            }
        }, new CommandOptions
        {
            Description = "Unpublished integration events: count, age of the oldest, attempts and last error.",
            IconName = "ArrowUpload",
        });
        return database;
    }
}
