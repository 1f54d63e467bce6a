using Npgsql;
using PublicSafety.Probation.Evaluation;
using PublicSafety.Probation.Infrastructure;

namespace PublicSafety.Probation.Background;

/// <summary>Loads zones, exceptions and custody of a few persons for the background jobs, in one round trip.</summary>
public static class RulesLoader
{
    public sealed record PersonRow(Guid Id, string Reference, string Region, string Officer, DateTimeOffset Start, DateTimeOffset End);

    public static async Task<Dictionary<Guid, PersonRules>> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, IReadOnlyCollection<PersonRow> persons,
        DateTimeOffset from, CancellationToken ct)
    {
        var ids = persons.Select(p => p.Id).ToArray();
        await using var batch = new NpgsqlBatch(connection, tx);
        foreach (var sql in new[]
                 {
                     "SELECT person_id, id, kind, latitude, longitude, radius, outer_radius, curfews::text FROM zones WHERE person_id = ANY(@ids) ORDER BY id",
                     "SELECT person_id, starts_at, ends_at FROM schedule_exceptions WHERE person_id = ANY(@ids) AND ends_at > @from",
                     "SELECT person_id, starts_at, ends_at FROM custody_periods WHERE person_id = ANY(@ids) AND (ends_at IS NULL OR ends_at > @from)",
                 })
        {
            var c = new NpgsqlBatchCommand(sql);
            c.Parameters.AddWithValue("ids", ids);
            c.Parameters.AddWithValue("from", from);
            batch.BatchCommands.Add(c);
        }

        var zones = new Dictionary<Guid, List<Zone>>();
        var exceptions = new Dictionary<Guid, List<Interval>>();
        var custody = new Dictionary<Guid, List<Interval>>();
        await using (var r = await batch.ExecuteReaderAsync(ct))
        {
            await ReadRulesAsync(r, zones, exceptions, custody, ct);
        }

        return persons.ToDictionary(p => p.Id, p => new PersonRules(p.Id, p.Reference, p.Region, p.Officer, p.Start, p.End,
            zones.GetValueOrDefault(p.Id) ?? [], exceptions.GetValueOrDefault(p.Id) ?? [], custody.GetValueOrDefault(p.Id) ?? []));
    }

    /// <summary>
    /// Reads three consecutive results: zones (person_id, id, kind, latitude, longitude, radius, outer_radius, curfews),
    /// then exceptions and custody (person_id, starts_at, ends_at).
    /// </summary>
    public static async Task ReadRulesAsync(NpgsqlDataReader r, Dictionary<Guid, List<Zone>> zones, Dictionary<Guid, List<Interval>> exceptions,
        Dictionary<Guid, List<Interval>> custody, CancellationToken ct)
    {
        while (await r.ReadAsync(ct))
        {
            var list = zones.TryGetValue(r.GetGuid(0), out var l) ? l : zones[r.GetGuid(0)] = [];
            list.Add(new Zone(r.GetGuid(1), r.GetString(2) == "inclusion" ? ZoneKind.Inclusion : ZoneKind.Exclusion, r.GetDouble(3), r.GetDouble(4),
                r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6), TelemetryIngestion.ParseCurfews(r.GetString(7))));
        }

        foreach (var target in new[] { exceptions, custody })
        {
            await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var list = target.TryGetValue(r.GetGuid(0), out var l) ? l : target[r.GetGuid(0)] = [];
                list.Add(new Interval(r.GetFieldValue<DateTimeOffset>(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2)));
            }
        }
    }
}
