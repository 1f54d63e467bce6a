using Npgsql;
using NpgsqlTypes;
using PublicSafety.Probation.Evaluation;
using PublicSafety.Probation.Model;

namespace PublicSafety.Probation.Infrastructure;

/// <summary>
/// Device events: tamper kinds are violations at once; battery and charging events maintain the device's low-battery
/// clock, which the <see cref="Background.DeviceDetector"/> turns into "battery not charged". Each event is applied once
/// (device_events' key drops duplicates), and the charging clock compares event times, so arrival order does not matter.
/// </summary>
public sealed class DeviceEventHandler
{
    public ViolationCandidate? Violation(LoadedPerson person, NewDeviceEvent e, DateTimeOffset now)
    {
        if (!DeviceEventKinds.Tamper.TryGetValue(e.Kind, out var severity) || !person.Rules.Supervised(e.At))
        {
            return null;
        }

        var location = person.LastPosition;
        return new ViolationCandidate(person.Rules.PersonId, ViolationKinds.Tamper, severity, $"{e.DeviceId:N}:{e.Kind}:{e.At.UtcTicks}", null, e.DeviceId,
            e.At, now, location, location is null ? [] : [location], person.Rules.InCustody(e.At), Cause: e.Kind);
    }

    public void AddUpdates(NpgsqlBatch batch, IEnumerable<NewDeviceEvent> events)
    {
        foreach (var e in events)
        {
            var sql = e.Kind switch
            {
                DeviceEventKinds.BatteryLow => """
                    UPDATE devices SET low_battery_since = LEAST(coalesce(low_battery_since, @at), @at)
                    WHERE id = @d AND (last_charging_at IS NULL OR last_charging_at < @at)
                    """,
                DeviceEventKinds.ChargingStarted => """
                    UPDATE devices SET charging = CASE WHEN last_charging_at IS NULL OR @at >= last_charging_at THEN true ELSE charging END,
                                       last_charging_at = GREATEST(last_charging_at, @at),
                                       low_battery_since = CASE WHEN low_battery_since <= @at THEN NULL ELSE low_battery_since END
                    WHERE id = @d
                    """,
                DeviceEventKinds.ChargingStopped => "UPDATE devices SET charging = false WHERE id = @d AND (last_charging_at IS NULL OR last_charging_at <= @at)",
                _ => null,
            };
            if (sql is not null)
            {
                batch.BatchCommands.Add(Command(sql, e));
            }

            if (e.BatteryPercent is not null || e.Firmware is not null)
            {
                var status = Command("UPDATE devices SET battery_percent = coalesce(@b, battery_percent), firmware = coalesce(@f, firmware) WHERE id = @d", e);
                status.Parameters.Add(new NpgsqlParameter<short?>("b", (short?)e.BatteryPercent) { NpgsqlDbType = NpgsqlDbType.Smallint });
                status.Parameters.Add(new NpgsqlParameter<string?>("f", e.Firmware) { NpgsqlDbType = NpgsqlDbType.Text });
                batch.BatchCommands.Add(status);
            }
        }
    }

    private static NpgsqlBatchCommand Command(string sql, NewDeviceEvent e)
    {
        var c = new NpgsqlBatchCommand(sql);
        c.Parameters.AddWithValue("d", e.DeviceId);
        c.Parameters.AddWithValue("at", e.At);
        return c;
    }
}
