using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Probation.Background;
using PublicSafety.Probation.Evaluation;
using PublicSafety.Probation.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Infrastructure;

/// <param name="AssignedAt">When the current assignment began: earlier reports are of the device's previous wearer.</param>
public sealed record LoadedDevice(Guid Id, Guid PersonId, DateTimeOffset? AssignedAt);

public sealed record LoadedPerson(PersonRules Rules, DateTimeOffset? Watermark, byte[] State, EvidencePoint? LastPosition)
{
    public PersonRef Ref { get; } = new(Rules.PersonId, Rules.Reference, Rules.Region, Rules.OfficerSubject);
}

public sealed record NewDeviceEvent(Guid DeviceId, DateTimeOffset At, string Kind, Guid PersonId, int? BatteryPercent, string? Firmware);

public sealed record LoadedBatch(Dictionary<string, LoadedDevice> Devices, Dictionary<Guid, LoadedPerson> Persons, List<NewDeviceEvent> NewEvents);

/// <summary>The rows one batch writes, gathered so they go to the database in one round trip.</summary>
public sealed class PositionWrites
{
    public List<(Guid Person, Fix Fix, byte[] State)> New { get; } = [];
    public List<(Guid Person, Fix Fix, byte[] State)> Restated { get; } = [];
    public List<(Guid Person, Fix Newest, byte[] State, DateTimeOffset? AwaySince, DateTimeOffset? CurfewDue)> States { get; } = [];

    public int NewCount => New.Count;

    public void AddNew(Guid person, IReadOnlyList<Fix> fixes, IReadOnlyList<byte[]> states, int offset)
    {
        for (var i = 0; i < fixes.Count; i++)
        {
            New.Add((person, fixes[i], states[offset + i]));
        }
    }

    public void AddRestate(Guid person, Fix fix, byte[] state) => Restated.Add((person, fix, state));

    public void AddState(Guid person, Fix newest, MonitorState state, DateTimeOffset? awaySince, DateTimeOffset? curfewDue) =>
        States.Add((person, newest, state.Encode(), awaySince, curfewDue));
}

public sealed partial class TelemetryIngestion
{
    /// <summary>
    /// The batch's devices: the vendor's, assigned, and inside the caller's scope. Any other serial is unknown to the
    /// caller, whether it exists or not (as Cameras treats heartbeats): nothing of it is stored or changed.
    /// </summary>
    private static readonly string DevicesOfBatch = $"vendor = @v AND serial = ANY(@s) AND status = 'assigned' AND {ScopeSql.Covers("region")}";

    private static readonly string PersonsOfBatch = $"SELECT person_id FROM devices WHERE {DevicesOfBatch}";

    private sealed record CurfewJson(int[]? Days, string? Start, string? End);

    public static IReadOnlyList<Curfew> ParseCurfews(string json) =>
        (JsonSerializer.Deserialize<CurfewJson[]>(json, JsonSerializerOptions.Web) ?? [])
        .Select(c => new Curfew(c.Days ?? [], TimeOnly.Parse(c.Start!), TimeOnly.Parse(c.End!)))
        .ToArray();

    private static async Task<LoadedBatch> LoadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string vendor, RegionScope scope, string[] serials,
        DateTimeOffset oldest, IReadOnlyList<DeviceEventReport> events, DateTimeOffset now, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        NpgsqlBatchCommand Add(string sql)
        {
            var c = new NpgsqlBatchCommand(sql);
            c.Parameters.AddWithValue("v", vendor);
            c.Parameters.Add(ScopeSql.Parameter(scope));
            c.Parameters.AddWithValue("s", serials);
            c.Parameters.AddWithValue("oldest", oldest);
            batch.BatchCommands.Add(c);
            return c;
        }

        // Locked (in id order, so batches sharing devices queue instead of deadlocking): the statements after this one each
        // see the devices anew, and an assignment or release committed in between would leave a device's person unloaded.
        Add($"SELECT serial, id, person_id, assigned_at FROM devices WHERE {DevicesOfBatch} ORDER BY id FOR NO KEY UPDATE");
        Add($"""
            SELECT p.id, p.reference, p.region, p.officer_subject, p.supervision_start, p.supervision_end, s.watermark, s.state,
                   s.last_latitude, s.last_longitude, s.last_accuracy
            FROM person_state s JOIN persons p ON p.id = s.person_id
            WHERE s.person_id IN ({PersonsOfBatch})
            ORDER BY s.person_id FOR UPDATE OF s
            """);
        Add($"SELECT person_id, id, kind, latitude, longitude, radius, outer_radius, curfews::text FROM zones WHERE person_id IN ({PersonsOfBatch}) ORDER BY id");
        Add($"SELECT person_id, starts_at, ends_at FROM schedule_exceptions WHERE person_id IN ({PersonsOfBatch}) AND ends_at > @oldest");
        Add($"SELECT person_id, starts_at, ends_at FROM custody_periods WHERE person_id IN ({PersonsOfBatch}) AND (ends_at IS NULL OR ends_at > @oldest)");
        var insertEvents = Add($"""
            INSERT INTO device_events (device_id, at, kind, person_id, received_at)
            SELECT d.id, e.at, e.kind, d.person_id, @now
            FROM unnest(@es, @eat, @ek) AS e(serial, at, kind)
            JOIN (SELECT id, serial, person_id, assigned_at FROM devices WHERE {DevicesOfBatch}) d
              ON d.serial = e.serial AND (d.assigned_at IS NULL OR e.at >= d.assigned_at)
            ON CONFLICT DO NOTHING
            RETURNING device_id, at, kind, person_id
            """);
        insertEvents.Parameters.AddWithValue("now", now);
        insertEvents.Parameters.AddWithValue("es", events.Select(e => e.Device!).ToArray());
        insertEvents.Parameters.AddWithValue("eat", events.Select(e => e.At!.Value).ToArray());
        insertEvents.Parameters.AddWithValue("ek", events.Select(e => e.Kind!).ToArray());

        var devices = new Dictionary<string, LoadedDevice>(StringComparer.Ordinal);
        var rows = new List<(Guid Id, string Reference, string Region, string Officer, DateTimeOffset Start, DateTimeOffset End, DateTimeOffset? Watermark, byte[] State, EvidencePoint? Last)>();
        var zones = new Dictionary<Guid, List<Zone>>();
        var exceptions = new Dictionary<Guid, List<Interval>>();
        var custody = new Dictionary<Guid, List<Interval>>();
        var newEvents = new List<NewDeviceEvent>();
        await using (var r = await batch.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                devices[r.GetString(0)] = new LoadedDevice(r.GetGuid(1), r.GetGuid(2), r.IsDBNull(3) ? null : r.GetFieldValue<DateTimeOffset>(3));
            }

            await r.NextResultAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var watermark = r.IsDBNull(6) ? (DateTimeOffset?)null : r.GetFieldValue<DateTimeOffset>(6);
                var last = r.IsDBNull(8) || watermark is null ? null : new EvidencePoint(watermark.Value, r.GetDouble(8), r.GetDouble(9), r.GetFloat(10));
                rows.Add((r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5),
                    watermark, r.GetFieldValue<byte[]>(7), last));
            }

            await r.NextResultAsync(ct);
            await RulesLoader.ReadRulesAsync(r, zones, exceptions, custody, ct);

            await r.NextResultAsync(ct);
            var reports = events.GroupBy(e => (e.Device!, e.At!.Value, e.Kind!)).ToDictionary(g => g.Key, g => g.First());
            var serialOf = devices.ToDictionary(d => d.Value.Id, d => d.Key);
            while (await r.ReadAsync(ct))
            {
                var (device, at, kind, person) = (r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetGuid(3));
                var report = serialOf.TryGetValue(device, out var serial) ? reports.GetValueOrDefault((serial, at, kind)) : null;
                newEvents.Add(new NewDeviceEvent(device, at, kind, person, report?.BatteryPercent, report?.Firmware));
            }
        }

        var persons = rows.ToDictionary(p => p.Id, p => new LoadedPerson(
            new PersonRules(p.Id, p.Reference, p.Region, p.Officer, p.Start, p.End, zones.GetValueOrDefault(p.Id) ?? [],
                exceptions.GetValueOrDefault(p.Id) ?? [], custody.GetValueOrDefault(p.Id) ?? []),
            p.Watermark, p.State, p.Last));
        return new LoadedBatch(devices, persons, newEvents);
    }

    private async Task WriteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, PositionWrites writes, LoadedBatch loaded, DateTimeOffset now, CancellationToken ct)
    {
        await using var batch = new NpgsqlBatch(connection, tx);
        if (writes.New.Count > 0)
        {
            var insert = new NpgsqlBatchCommand("""
                INSERT INTO positions (person_id, fix_time, device_id, latitude, longitude, accuracy, speed, received_at, state)
                SELECT * FROM unnest(@p, @t, @d, @lat, @lon, @acc, @spd, @rcv, @st)
                ON CONFLICT DO NOTHING
                """);
            var n = writes.New;
            insert.Parameters.AddWithValue("p", n.Select(x => x.Person).ToArray());
            insert.Parameters.AddWithValue("t", n.Select(x => x.Fix.FixTime).ToArray());
            insert.Parameters.AddWithValue("d", n.Select(x => x.Fix.DeviceId).ToArray());
            insert.Parameters.AddWithValue("lat", n.Select(x => x.Fix.Latitude).ToArray());
            insert.Parameters.AddWithValue("lon", n.Select(x => x.Fix.Longitude).ToArray());
            insert.Parameters.AddWithValue("acc", n.Select(x => (float)x.Fix.Accuracy).ToArray());
            insert.Parameters.Add(new NpgsqlParameter("spd", NpgsqlDbType.Array | NpgsqlDbType.Real) { Value = n.Select(x => x.Fix.Speed is { } s ? (float?)s : null).ToArray() });
            insert.Parameters.AddWithValue("rcv", n.Select(x => x.Fix.ReceivedAt).ToArray());
            insert.Parameters.AddWithValue("st", n.Select(x => x.State).ToArray());
            batch.BatchCommands.Add(insert);
        }

        if (writes.Restated.Count > 0)
        {
            var restate = new NpgsqlBatchCommand("""
                UPDATE positions SET state = u.st FROM unnest(@p, @t, @d, @st) AS u(p, t, d, st)
                WHERE positions.person_id = u.p AND positions.fix_time = u.t AND positions.device_id = u.d
                """);
            var s = writes.Restated;
            restate.Parameters.AddWithValue("p", s.Select(x => x.Person).ToArray());
            restate.Parameters.AddWithValue("t", s.Select(x => x.Fix.FixTime).ToArray());
            restate.Parameters.AddWithValue("d", s.Select(x => x.Fix.DeviceId).ToArray());
            restate.Parameters.AddWithValue("st", s.Select(x => x.State).ToArray());
            batch.BatchCommands.Add(restate);
        }

        if (writes.States.Count > 0)
        {
            var state = new NpgsqlBatchCommand("""
                UPDATE person_state s SET watermark = u.w, state = u.st, away_since = u.away,
                       -- A look the sweeper has not taken yet (due and past: it was behind or down) is kept, so the
                       -- windows since then are still caught up; a new batch only brings a look forward.
                       curfew_due_at = CASE WHEN s.curfew_due_at <= @now THEN LEAST(s.curfew_due_at, u.due) ELSE u.due END,
                       last_latitude = u.lat, last_longitude = u.lon, last_accuracy = u.acc
                FROM unnest(@p, @w, @st, @away, @due, @lat, @lon, @acc) AS u(p, w, st, away, due, lat, lon, acc)
                WHERE s.person_id = u.p
                """);
            var s = writes.States;
            state.Parameters.AddWithValue("p", s.Select(x => x.Person).ToArray());
            state.Parameters.AddWithValue("w", s.Select(x => x.Newest.FixTime).ToArray());
            state.Parameters.AddWithValue("st", s.Select(x => x.State).ToArray());
            state.Parameters.Add(new NpgsqlParameter("away", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = s.Select(x => x.AwaySince).ToArray() });
            state.Parameters.Add(new NpgsqlParameter("due", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = s.Select(x => x.CurfewDue).ToArray() });
            state.Parameters.AddWithValue("lat", s.Select(x => x.Newest.Latitude).ToArray());
            state.Parameters.AddWithValue("lon", s.Select(x => x.Newest.Longitude).ToArray());
            state.Parameters.AddWithValue("acc", s.Select(x => (float)x.Newest.Accuracy).ToArray());
            state.Parameters.AddWithValue("now", now);
            batch.BatchCommands.Add(state);
        }

        // Contact is when we heard from the device; a fix is when it last knew where it was. A device with contact but
        // no recent fix is stale, not healthy.
        var lastFix = writes.New.GroupBy(x => x.Fix.DeviceId).ToDictionary(g => g.Key, g => g.Max(x => x.Fix.FixTime));
        var contacted = loaded.Devices.Values.Select(d => d.Id).Distinct().ToArray();
        if (contacted.Length > 0)
        {
            var devices = new NpgsqlBatchCommand("""
                UPDATE devices d SET last_contact_at = GREATEST(d.last_contact_at, @now), last_fix_at = GREATEST(d.last_fix_at, u.fix)
                FROM unnest(@ids, @fix) AS u(id, fix) WHERE d.id = u.id
                """);
            devices.Parameters.AddWithValue("now", now);
            devices.Parameters.AddWithValue("ids", contacted);
            devices.Parameters.Add(new NpgsqlParameter("fix", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
            {
                Value = contacted.Select(id => lastFix.TryGetValue(id, out var f) ? (DateTimeOffset?)f : null).ToArray(),
            });
            batch.BatchCommands.Add(devices);
        }

        deviceEvents.AddUpdates(batch, loaded.NewEvents);
        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(ct);
        }
    }
}
