using Npgsql;
using PublicSafety.Contracts.CrisisCapacity;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.CrisisCapacity.Infrastructure;

internal static class AvailabilityEvents
{
    /// <summary>
    /// Reads the category's counts inside the changing transaction (after the change) and records BedAvailabilityChanged
    /// in the outbox; keyed by facility so that a facility's changes are published in order.
    /// </summary>
    public static async Task AddChangedAsync(this IOutbox outbox, NpgsqlTransaction transaction, Guid facilityId, IEnumerable<string> categories, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT f.region, a.category, a.total, a.out_of_service, a.occupied, a.reserved, a.available
            FROM bed_availability a JOIN facilities f ON f.id = a.facility_id
            WHERE a.facility_id = @f AND a.category = ANY(@c)
            ORDER BY a.category
            """, transaction.Connection, transaction);
        cmd.Parameters.AddWithValue("f", facilityId);
        cmd.Parameters.AddWithValue("c", categories.Distinct().ToArray());
        var events = new List<(PublicSafety.Contracts.IntegrationEvent, string)>();
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                events.Add((new BedAvailabilityChanged(facilityId, reader.GetString(0), reader.GetString(1), reader.GetInt32(2),
                    reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5), reader.GetInt32(6)), facilityId.ToString()));
            }
        }

        await outbox.AddAsync(transaction, events, ct);
    }
}
