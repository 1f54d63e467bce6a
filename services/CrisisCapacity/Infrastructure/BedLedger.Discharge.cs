using Npgsql;
using PublicSafety.Contracts.CrisisCapacity;
using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.CrisisCapacity.Infrastructure;

public sealed partial class BedLedger
{

    /// <param name="survey">
    /// Whether the person agreed to a survey about the service and which kind of channel they named as safe; it travels in
    /// <see cref="PlacementEnded"/> so that Feedback invites only people who agreed.
    /// </param>
    public async Task<PlaceOutcome> DischargeAsync(
        Guid placementId, string reason, SurveyConsent survey, CrisisAccess access, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        if (await ReadPlacementAsync(tx, placementId, ct) is not { } placement || !access.SeesBooking(placement.Region, placement.BookedBy))
        {
            return new PlaceOutcome.NotFound();
        }

        await LockCategoryAsync(tx, placement.FacilityId, placement.Category, ct);
        await using (var update = new NpgsqlCommand("""
            UPDATE placements SET discharged_at = @at, discharge_reason = @reason, survey_consent = @consent, safe_channel = @channel
            WHERE id = @id AND discharged_at IS NULL
            RETURNING discharged_at
            """, connection, tx))
        {
            update.Parameters.AddWithValue("id", placementId);
            update.Parameters.AddWithValue("at", clock.GetUtcNow());
            update.Parameters.AddWithValue("reason", reason);
            update.Parameters.AddWithValue("consent", survey.Consent);
            update.Parameters.Add(new NpgsqlParameter<string?>("channel", survey.SafeChannel) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            if (await update.ExecuteScalarAsync(ct) is not DateTime)
            {
                return new PlaceOutcome.NotHeld("discharged");
            }
        }

        await AdjustAsync(tx, placement.FacilityId, placement.Category, 0, -placement.Beds, ct);
        var ended = (await ReadPlacementAsync(tx, placementId, ct))!;
        var consent = ended.Survey ?? SurveyConsent.None;
        await outbox.AddAsync(tx, new PlacementEnded(ended.Id, ended.FacilityId, ended.Region, ended.CaseCode, ended.DischargedAt!.Value,
            ended.Category, consent.Consent, consent.SafeChannel) { SchemaVersion = 2 }, ended.FacilityId.ToString(), ct);
        await outbox.AddChangedAsync(tx, ended.FacilityId, [ended.Category], ct);
        await tx.CommitAsync(ct);
        return new PlaceOutcome.Placed(ended);
    }

    /// <summary>The placement, or null if there is none the caller may see.</summary>
    public async Task<Placement?> GetPlacementAsync(Guid id, CrisisAccess access, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        return await ReadPlacementAsync(tx, id, ct) is { } placement && access.SeesBooking(placement.Region, placement.BookedBy) ? placement : null;
    }

    /// <summary>
    /// Marks holds past their expiry and records the new counts: one facility-category at a time, locking its row first
    /// like every other writer (so never in a lock order that could deadlock with a conversion).
    /// </summary>
    public async Task<int> ExpireHoldsAsync(CancellationToken ct)
    {
        var lapsed = new List<(Guid Facility, string Category)>();
        await using (var find = dataSource.CreateCommand("""
            SELECT DISTINCT facility_id, category FROM reservations WHERE status = 'held' AND expires_at <= now() LIMIT 200
            """))
        await using (var r = await find.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                lapsed.Add((r.GetGuid(0), r.GetString(1)));
            }
        }

        foreach (var (facility, category) in lapsed)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            await LockCategoryAsync(tx, facility, category, ct);
            if (await SettleLapsedAsync(tx, facility, category, ct))
            {
                await outbox.AddChangedAsync(tx, facility, [category], ct);
            }

            await tx.CommitAsync(ct);
        }

        return lapsed.Count;
    }
}
