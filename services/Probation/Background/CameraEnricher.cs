using System.Text.Json;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.Probation.Extensions;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.ServiceDefaults.Hosting;

namespace PublicSafety.Probation.Background;

/// <summary>A camera near a violation, as attached to the alert.</summary>
public sealed record NearbyCameraInfo(Guid Id, string? Name, string Kind, double Latitude, double Longitude, double DistanceMeters);

/// <summary>
/// Attaches nearby active cameras (Cameras' FindCamerasNear over gRPC) to alerts after they are stored: never inside
/// the ingestion transaction, so a slow or absent Cameras service cannot hold positions back. An alert whose call
/// fails or times out is marked "unavailable" and stays with the officer without cameras. Replicas claim alerts for a
/// short lease, so one alert is looked up by one replica at a time.
/// </summary>
public sealed partial class CameraEnricher(
    NpgsqlDataSource dataSource, IServiceProvider services, CameraEnrichmentSignal signal, ProbationMetrics metrics, TimeProvider time,
    IOptions<AlertOptions> options, ILogger<CameraEnricher> logger) : PeriodicJob(time, logger)
{
    private const int BatchSize = 20;

    protected override TimeSpan Interval => TimeSpan.FromSeconds(2);

    protected override async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        // Woken at once by this replica's own commits; the timer catches alerts raised by other replicas.
        try
        {
            await signal.WaitAsync(Interval, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var claimed = await ClaimAsync(ct);
            await Task.WhenAll(claimed.Select(a => EnrichAsync(a, ct)));
            total += claimed.Count;
            if (claimed.Count < BatchSize)
            {
                return total;
            }
        }
    }

    private async Task<List<(Guid Id, double Lat, double Lon)>> ClaimAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        await using var cmd = dataSource.CreateCommand("""
            UPDATE alerts a SET cameras_claimed_until = @until
            FROM (SELECT id FROM alerts WHERE cameras_status = 'pending' AND (cameras_claimed_until IS NULL OR cameras_claimed_until < @now)
                  ORDER BY created_at LIMIT @batch FOR UPDATE SKIP LOCKED) s
            WHERE a.id = s.id
            RETURNING a.id, a.latitude, a.longitude
            """);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("until", now + options.Value.CameraDeadline * 4);
        cmd.Parameters.AddWithValue("batch", BatchSize);
        var claimed = new List<(Guid, double, double)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            claimed.Add((r.GetGuid(0), r.GetDouble(1), r.GetDouble(2)));
        }

        return claimed;
    }

    private async Task EnrichAsync((Guid Id, double Lat, double Lon) alert, CancellationToken ct)
    {
        string status;
        NearbyCameraInfo[] cameras = [];
        try
        {
            var client = services.GetRequiredService<CameraDirectory.CameraDirectoryClient>();
            var response = await client.FindCamerasNearAsync(
                new FindCamerasNearRequest
                {
                    Latitude = alert.Lat, Longitude = alert.Lon, RadiusMeters = options.Value.CameraRadiusMeters, MaxResults = 10,
                    Statuses = { CameraStatus.Active },
                },
                deadline: (Time.GetUtcNow() + options.Value.CameraDeadline).UtcDateTime, cancellationToken: ct);
            cameras = response.Cameras.Select(c => new NearbyCameraInfo(Guid.Parse(c.Camera.Id), c.Camera.HasName ? c.Camera.Name : null,
                c.Camera.Kind.ToString(), c.Camera.Location.Latitude, c.Camera.Location.Longitude, Math.Round(c.DistanceMeters, 1))).ToArray();
            status = "attached";
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Cameras down, unreachable, too slow or not configured: the alert goes out without cameras and says so.
            LogCamerasUnavailable(alert.Id, ex.GetType().Name);
            metrics.CamerasUnavailable.Add(1);
            status = "unavailable";
        }

        await using var cmd = dataSource.CreateCommand(
            "UPDATE alerts SET cameras_status = @status, cameras = @cameras, cameras_claimed_until = NULL WHERE id = @id AND cameras_status = 'pending'");
        cmd.Parameters.AddWithValue("id", alert.Id);
        cmd.Parameters.AddWithValue("status", status);
        cmd.Parameters.Add(new NpgsqlParameter("cameras", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(cameras, JsonSerializerOptions.Web) });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(LogLevel.Warning, "Cameras unavailable for alert {AlertId}: {Error}")]
    private partial void LogCamerasUnavailable(Guid alertId, string error);
}
