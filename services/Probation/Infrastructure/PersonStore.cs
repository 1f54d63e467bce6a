using System.Security.Cryptography;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Contracts.Probation;
using PublicSafety.Probation.Apis;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.Probation.Infrastructure;

public sealed record PersonRow(
    Guid Id, string Reference, string Category, string Region, string OfficerSubject, string CourtOrder, string FullName, string? NationalId,
    DateOnly? BirthDate, DateTimeOffset SupervisionStart, DateTimeOffset SupervisionEnd)
{
    public PersonDto ToDto(PersonAccess access) => new(Id, Reference, Category, Region, OfficerSubject, SupervisionStart, SupervisionEnd,
        access == PersonAccess.Supervisor, access == PersonAccess.Supervisor ? new PersonIdentityDto(FullName, NationalId, BirthDate, CourtOrder) : null);
}

/// <summary>Monitored persons and their rules (zones, exceptions, custody) and check-ins.</summary>
public sealed class PersonStore(NpgsqlDataSource dataSource, IOutbox outbox, TimeProvider time)
{
    private const string Columns = "id, reference, category, region, officer_subject, court_order, full_name, national_id, birth_date, supervision_start, supervision_end";
    private const string CustodyColumns = "id, starts_at, ends_at, recorded_by, note, ended_by";

    /// <summary>A pseudonymous reference: random, so nothing about the person can be derived from it.</summary>
    private static string NewReference() => "PRB-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6));

    /// <summary>
    /// Creates the person and its state row; with an idempotency key already used by this officer, returns that person, or
    /// null when it is outside <paramref name="scope"/> (the officer's token for another region must not get it back).
    /// </summary>
    public async Task<(PersonRow? Person, bool Created)> CreateAsync(PersonRequest r, string officerSubject, string? idempotencyKey, RegionScope scope,
        CancellationToken ct)
    {
        var row = new PersonRow(Guid.CreateVersion7(), NewReference(), r.Category!, r.Region!.ToUpperInvariant(), officerSubject, r.CourtOrder!.Trim(), r.FullName!.Trim(),
            r.NationalId, r.BirthDate, r.SupervisionStart!.Value, r.SupervisionEnd!.Value);
        await using var cmd = dataSource.CreateCommand($"""
            WITH p AS (INSERT INTO persons ({Columns}, idempotency_key) VALUES (@id, @ref, @cat, @region, @officer, @order, @name, @nid, @birth, @start, @end, @key)
                       ON CONFLICT (officer_subject, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id)
            INSERT INTO person_state (person_id) SELECT id FROM p RETURNING person_id
            """);
        var p = cmd.Parameters;
        p.AddWithValue("id", row.Id);
        p.AddWithValue("ref", row.Reference);
        p.AddWithValue("cat", row.Category);
        p.AddWithValue("region", row.Region);
        p.AddWithValue("officer", row.OfficerSubject);
        p.AddWithValue("order", row.CourtOrder);
        p.AddWithValue("name", row.FullName);
        p.Add(new NpgsqlParameter<string?>("nid", row.NationalId) { NpgsqlDbType = NpgsqlDbType.Text });
        p.Add(new NpgsqlParameter<DateOnly?>("birth", row.BirthDate) { NpgsqlDbType = NpgsqlDbType.Date });
        p.AddWithValue("start", row.SupervisionStart);
        p.AddWithValue("end", row.SupervisionEnd);
        p.Add(new NpgsqlParameter<string?>("key", idempotencyKey) { NpgsqlDbType = NpgsqlDbType.Text });
        if (await cmd.ExecuteScalarAsync(ct) is Guid)
        {
            return (row, true);
        }

        await using var existing = dataSource.CreateCommand(
            $"SELECT {Columns} FROM persons WHERE officer_subject = @officer AND idempotency_key = @key AND {ScopeSql.Covers("region")}");
        existing.Parameters.AddWithValue("officer", officerSubject);
        existing.Parameters.AddWithValue("key", idempotencyKey!);
        existing.Parameters.Add(ScopeSql.Parameter(scope));
        await using var reader = await existing.ExecuteReaderAsync(ct);
        return (await reader.ReadAsync(ct) ? Read(reader) : null, false);
    }

    public async Task<PersonRow?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"SELECT {Columns} FROM persons WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    /// <summary>The persons inside <paramref name="scope"/>: an officer's own (officer set) or all of them (officer null).</summary>
    public async Task<List<PersonRow>> ListAsync(string? officerSubject, RegionScope scope, Guid? after, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            SELECT {Columns} FROM persons
            WHERE (@officer::text IS NULL OR officer_subject = @officer) AND {ScopeSql.Covers("region")} AND (@after::uuid IS NULL OR id > @after)
            ORDER BY id LIMIT @limit
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("officer", officerSubject) { NpgsqlDbType = NpgsqlDbType.Text });
        cmd.Parameters.Add(ScopeSql.Parameter(scope));
        cmd.Parameters.Add(new NpgsqlParameter<Guid?>("after", after) { NpgsqlDbType = NpgsqlDbType.Uuid });
        cmd.Parameters.AddWithValue("limit", limit);
        var rows = new List<PersonRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            rows.Add(Read(r));
        }

        return rows;
    }

    /// <summary>Changes the supervision end and/or the supervising officer; a handover moves the person's unresolved alerts too.</summary>
    public async Task UpdateSupervisionAsync(Guid id, DateTimeOffset? end, string? officer, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            WITH p AS (UPDATE persons SET supervision_end = coalesce(@end, supervision_end), officer_subject = coalesce(@officer, officer_subject)
                       WHERE id = @id RETURNING id, officer_subject)
            UPDATE alerts a SET officer_subject = p.officer_subject FROM p WHERE a.person_id = p.id AND a.status <> 'resolved'
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("end", end) { NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("officer", officer) { NpgsqlDbType = NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Zones a person may have. Every fix is tested against each of them, and the evaluator's state (MonitorState) counts
    /// its circles — two per exclusion zone — in one byte.
    /// </summary>
    public const int MaxZonesPerPerson = 100;

    /// <summary>Adds a zone; null if the person already has <see cref="MaxZonesPerPerson"/>.</summary>
    public async Task<ZoneDto?> AddZoneAsync(Guid personId, ZoneRequest r, CancellationToken ct)
    {
        var curfews = (r.Curfews ?? []).Select(c => new CurfewDto(c.Days ?? [], c.Start, c.End)).ToArray();
        var zone = new ZoneDto(Guid.CreateVersion7(), r.Kind!, r.Name!.Trim(), r.Latitude!.Value, r.Longitude!.Value, r.RadiusMeters!.Value, r.OuterRadiusMeters, curfews);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        // Concurrent additions for one person queue on its row, so each counts the zones the one before it added.
        await using (var lockPerson = new NpgsqlCommand("SELECT 1 FROM persons WHERE id = @person FOR NO KEY UPDATE", connection, tx))
        {
            lockPerson.Parameters.AddWithValue("person", personId);
            await lockPerson.ExecuteNonQueryAsync(ct);
        }

        await using var cmd = new NpgsqlCommand("""
            INSERT INTO zones (id, person_id, kind, name, latitude, longitude, radius, outer_radius, curfews)
            SELECT @id, @person, @kind, @name, @lat, @lon, @radius, @outer, @curfews
            WHERE (SELECT count(*) FROM zones WHERE person_id = @person) < @max
            """, connection, tx);
        var p = cmd.Parameters;
        p.AddWithValue("id", zone.Id);
        p.AddWithValue("person", personId);
        p.AddWithValue("kind", zone.Kind);
        p.AddWithValue("name", zone.Name);
        p.AddWithValue("lat", zone.Latitude);
        p.AddWithValue("lon", zone.Longitude);
        p.AddWithValue("radius", zone.RadiusMeters);
        p.Add(new NpgsqlParameter<double?>("outer", zone.OuterRadiusMeters) { NpgsqlDbType = NpgsqlDbType.Double });
        p.Add(new NpgsqlParameter("curfews", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(curfews, JsonSerializerOptions.Web) });
        p.AddWithValue("max", (long)MaxZonesPerPerson);
        var added = await cmd.ExecuteNonQueryAsync(ct) == 1;
        await tx.CommitAsync(ct);
        return added ? zone : null;
    }

    public async Task<List<ZoneDto>> ZonesAsync(Guid personId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, kind, name, latitude, longitude, radius, outer_radius, curfews::text FROM zones WHERE person_id = @p ORDER BY id");
        cmd.Parameters.AddWithValue("p", personId);
        var zones = new List<ZoneDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            zones.Add(new ZoneDto(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetDouble(3), r.GetDouble(4), r.GetDouble(5), r.IsDBNull(6) ? null : r.GetDouble(6),
                JsonSerializer.Deserialize<CurfewDto[]>(r.GetString(7), JsonSerializerOptions.Web) ?? []));
        }

        return zones;
    }

    public async Task<bool> DeleteZoneAsync(Guid personId, Guid zoneId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("DELETE FROM zones WHERE id = @id AND person_id = @p");
        cmd.Parameters.AddWithValue("id", zoneId);
        cmd.Parameters.AddWithValue("p", personId);
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    public async Task<ExceptionDto> AddExceptionAsync(Guid personId, ExceptionRequest r, string approvedBy, CancellationToken ct)
    {
        var dto = new ExceptionDto(Guid.CreateVersion7(), r.Reason!, r.StartsAt!.Value, r.EndsAt!.Value, approvedBy, r.Note?.Trim());
        await using var cmd = dataSource.CreateCommand("""
            INSERT INTO schedule_exceptions (id, person_id, reason, starts_at, ends_at, approved_by, note) VALUES (@id, @p, @reason, @s, @e, @by, @note)
            """);
        cmd.Parameters.AddWithValue("id", dto.Id);
        cmd.Parameters.AddWithValue("p", personId);
        cmd.Parameters.AddWithValue("reason", dto.Reason);
        cmd.Parameters.AddWithValue("s", dto.StartsAt);
        cmd.Parameters.AddWithValue("e", dto.EndsAt);
        cmd.Parameters.AddWithValue("by", approvedBy);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("note", dto.Note) { NpgsqlDbType = NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(ct);
        return dto;
    }

    public async Task<List<ExceptionDto>> ExceptionsAsync(Guid personId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT id, reason, starts_at, ends_at, approved_by, note FROM schedule_exceptions WHERE person_id = @p ORDER BY starts_at DESC LIMIT 500");
        cmd.Parameters.AddWithValue("p", personId);
        var list = new List<ExceptionDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new ExceptionDto(r.GetGuid(0), r.GetString(1), r.GetFieldValue<DateTimeOffset>(2), r.GetFieldValue<DateTimeOffset>(3), r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5)));
        }

        return list;
    }

    public async Task<CustodyDto> AddCustodyAsync(Guid personId, CustodyRequest r, string recordedBy, CancellationToken ct)
    {
        var dto = new CustodyDto(Guid.CreateVersion7(), r.StartsAt!.Value, r.EndsAt, recordedBy, r.Note?.Trim(), null);
        await using var cmd = dataSource.CreateCommand(
            "INSERT INTO custody_periods (id, person_id, starts_at, ends_at, recorded_by, note) VALUES (@id, @p, @s, @e, @by, @note)");
        cmd.Parameters.AddWithValue("id", dto.Id);
        cmd.Parameters.AddWithValue("p", personId);
        cmd.Parameters.AddWithValue("s", dto.StartsAt);
        cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset?>("e", dto.EndsAt) { NpgsqlDbType = NpgsqlDbType.TimestampTz });
        cmd.Parameters.AddWithValue("by", recordedBy);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("note", dto.Note) { NpgsqlDbType = NpgsqlDbType.Text });
        await cmd.ExecuteNonQueryAsync(ct);
        return dto;
    }

    public Task<List<CustodyDto>> CustodyAsync(Guid personId, CancellationToken ct) =>
        QueryCustodyAsync($"SELECT {CustodyColumns} FROM custody_periods WHERE person_id = @p ORDER BY starts_at DESC LIMIT 500", personId, null, ct);

    public async Task<CustodyDto?> CustodyAsync(Guid personId, Guid id, CancellationToken ct) =>
        (await QueryCustodyAsync($"SELECT {CustodyColumns} FROM custody_periods WHERE person_id = @p AND id = @id", personId, id, ct)).FirstOrDefault();

    /// <summary>Ends the period at <paramref name="end"/>; null if it was ended before or is over by then.</summary>
    public async Task<CustodyDto?> EndCustodyAsync(Guid personId, Guid id, DateTimeOffset end, string endedBy, CancellationToken ct)
    {
        const string sql = $"""
            UPDATE custody_periods SET ends_at = @end, ended_by = @by
            WHERE person_id = @p AND id = @id AND ended_by IS NULL AND (ends_at IS NULL OR ends_at > @end)
            RETURNING {CustodyColumns}
            """;
        return (await QueryCustodyAsync(sql, personId, id, ct, c =>
        {
            c.Parameters.AddWithValue("end", end);
            c.Parameters.AddWithValue("by", endedBy);
        })).FirstOrDefault();
    }

    private async Task<List<CustodyDto>> QueryCustodyAsync(string sql, Guid personId, Guid? id, CancellationToken ct, Action<NpgsqlCommand>? bind = null)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.AddWithValue("p", personId);
        if (id is { } custodyId) cmd.Parameters.AddWithValue("id", custodyId);
        bind?.Invoke(cmd);
        var list = new List<CustodyDto>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new CustodyDto(r.GetGuid(0), r.GetFieldValue<DateTimeOffset>(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateTimeOffset>(2), r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)));
        }

        return list;
    }

    /// <summary>
    /// Records a check-in and <see cref="ProbationCheckInRecorded"/> together; a repeated idempotency key returns the first,
    /// or null if the first was another person's (the key is the officer's, not the person's).
    /// </summary>
    public async Task<(CheckInDto? CheckIn, bool Created)> CheckInAsync(PersonRow person, CheckInRequest r, string officer, string? idempotencyKey, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var dto = new CheckInDto(Guid.CreateVersion7(), person.Id, r.Unit!.Trim(), r.CheckedInAt ?? time.GetUtcNow(), r.SurveyConsent!.Value);
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO check_ins (id, person_id, officer_subject, unit, checked_in_at, survey_consent, idempotency_key)
            VALUES (@id, @p, @officer, @unit, @at, @consent, @key) ON CONFLICT (idempotency_key) DO NOTHING
            """, connection, tx))
        {
            cmd.Parameters.AddWithValue("id", dto.Id);
            cmd.Parameters.AddWithValue("p", person.Id);
            cmd.Parameters.AddWithValue("officer", officer);
            cmd.Parameters.AddWithValue("unit", dto.Unit);
            cmd.Parameters.AddWithValue("at", dto.CheckedInAt);
            cmd.Parameters.AddWithValue("consent", dto.SurveyConsent);
            cmd.Parameters.Add(new NpgsqlParameter<string?>("key", idempotencyKey is null ? null : $"{officer}:{idempotencyKey}") { NpgsqlDbType = NpgsqlDbType.Text });
            if (await cmd.ExecuteNonQueryAsync(ct) == 0)
            {
                await using var existing = new NpgsqlCommand(
                    "SELECT id, person_id, unit, checked_in_at, survey_consent FROM check_ins WHERE idempotency_key = @key", connection, tx);
                existing.Parameters.AddWithValue("key", $"{officer}:{idempotencyKey}");
                await using var r2 = await existing.ExecuteReaderAsync(ct);
                await r2.ReadAsync(ct);
                var first = new CheckInDto(r2.GetGuid(0), r2.GetGuid(1), r2.GetString(2), r2.GetFieldValue<DateTimeOffset>(3), r2.GetBoolean(4));
                return (first.PersonId == person.Id ? first : null, false);
            }
        }

        await outbox.AddAsync(tx, new ProbationCheckInRecorded(dto.Id, person.Region, dto.Unit, person.Reference, dto.CheckedInAt, dto.SurveyConsent),
            person.Id.ToString(), ct);
        await tx.CommitAsync(ct);
        return (dto, true);
    }

    private static PersonRow Read(NpgsqlDataReader r) => new(r.GetGuid(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
        r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetFieldValue<DateOnly>(8), r.GetFieldValue<DateTimeOffset>(9),
        r.GetFieldValue<DateTimeOffset>(10));
}
