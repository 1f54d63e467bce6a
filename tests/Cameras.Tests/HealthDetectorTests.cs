using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PublicSafety.Cameras.Apis;
using PublicSafety.Cameras.Health;
using PublicSafety.Cameras.Infrastructure;

namespace PublicSafety.Cameras.Tests;

/// <summary>The offline detector and heartbeat ingestion on a controlled clock, with the service's own DI, against a real database.</summary>
public sealed class HealthDetectorTests : IAsyncLifetime
{
    private static readonly TimeSpan OfflineAfter = TimeSpan.FromSeconds(90);
    private readonly ClockedCameras _cameras = new(new DateTimeOffset(2026, 11, 22, 8, 0, 0, TimeSpan.Zero), OfflineAfter);

    public Task InitializeAsync() => _cameras.InitializeAsync();

    public Task DisposeAsync() => _cameras.DisposeAsync();

    [Fact]
    public async Task TheMeterCountsHeartbeatsByOutcomeAndCallerAndCamerasComingBackOnline()
    {
        var measurements = new List<(string Instrument, long Value, string? Outcome, string? Caller)>();
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == CamerasMetrics.MeterName) l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var all = tags.ToArray();
            lock (measurements)
            {
                measurements.Add((instrument.Name, value, all.FirstOrDefault(t => t.Key == "outcome").Value as string,
                    all.FirstOrDefault(t => t.Key == "caller").Value as string));
            }
        });
        listener.Start();

        var store = _cameras.Services.GetRequiredService<CameraStore>();
        var heartbeats = _cameras.Services.GetRequiredService<HeartbeatIngestion>();
        var (camera, _) = await store.CreateAsync(Camera("active") with { VendorClientId = "acme-cctv" }, null, "test", default);
        await heartbeats.IngestAsync([(camera.Id, null), (Guid.NewGuid(), null)], null, "acme-cctv", default);
        _cameras.Clock.Advance(OfflineAfter + TimeSpan.FromSeconds(1));
        await _cameras.Services.GetRequiredService<OfflineDetector>().SweepAsync(default);
        await heartbeats.IngestAsync([(camera.Id, null)], null, default);

        lock (measurements)
        {
            Assert.Contains(("cameras.heartbeats", 1L, "applied", "vendor"), measurements);
            Assert.Contains(("cameras.heartbeats", 1L, "unknown", "vendor"), measurements);
            Assert.Contains(("cameras.heartbeats", 1L, "applied", "manager"), measurements);
            Assert.Contains(("cameras.came_back_online", 1L, (string?)null, (string?)null), measurements);
        }
    }

    [Fact]
    public async Task SilentCameraGoesOfflineOnceAndComesBackOnlineWithAnEventEachTime()
    {
        var store = _cameras.Services.GetRequiredService<CameraStore>();
        var heartbeats = _cameras.Services.GetRequiredService<HeartbeatIngestion>();
        var detector = _cameras.Services.GetRequiredService<OfflineDetector>();
        var (camera, _) = await store.CreateAsync(Camera("active"), null, "test", default);
        var (quiet, _) = await store.CreateAsync(Camera("active"), null, "test", default);

        await heartbeats.IngestAsync([(camera.Id, null), (quiet.Id, null)], null, default);
        Assert.Equal("online", await HealthAsync(camera.Id));

        // Exactly at the threshold the camera is still online; a tick later it is not.
        _cameras.Clock.Advance(OfflineAfter);
        Assert.Equal(0, await detector.SweepAsync(default));
        await heartbeats.IngestAsync([(quiet.Id, null)], null, default);
        _cameras.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await detector.SweepAsync(default));
        Assert.Equal("offline", await HealthAsync(camera.Id));
        Assert.Equal("online", await HealthAsync(quiet.Id));
        Assert.Equal(0, await detector.SweepAsync(default));

        // A late heartbeat older than the threshold does not bring it back; a fresh one does.
        await heartbeats.IngestAsync([(camera.Id, _cameras.Clock.GetUtcNow() - OfflineAfter - TimeSpan.FromSeconds(5))], null, default);
        Assert.Equal("offline", await HealthAsync(camera.Id));
        var result = await heartbeats.IngestAsync([(camera.Id, null), (camera.Id, null), (Guid.NewGuid(), null)], null, default);
        Assert.Equal(1, result.Accepted);
        Assert.Single(result.Unknown);
        Assert.Equal("online", await HealthAsync(camera.Id));

        Assert.Equal(["CameraWentOffline", "CameraCameBackOnline"], await EventsAsync(camera.Id));
        Assert.Empty(await EventsAsync(quiet.Id));
    }

    [Fact]
    public async Task ActiveCameraThatNeverReportsGoesOfflineCountedFromWhenItBecameActive()
    {
        var store = _cameras.Services.GetRequiredService<CameraStore>();
        var heartbeats = _cameras.Services.GetRequiredService<HeartbeatIngestion>();
        var detector = _cameras.Services.GetRequiredService<OfflineDetector>();
        var uptime = _cameras.Services.GetRequiredService<UptimeQueries>();
        var start = _cameras.Clock.GetUtcNow();
        var (registeredActive, _) = await store.CreateAsync(Camera("active"), null, "test", default);
        var (installed, _) = await store.CreateAsync(Camera("installed"), null, "test", default);
        Assert.Equal((1, null), await store.ImportAsync([(null, Camera("active") with { Name = "imported" })], "test", default));
        var (planned, _) = await store.CreateAsync(Camera("planned"), null, "test", default);

        // Installed and planned cameras are not expected to report; an active one (registered or imported) is, from the moment it
        // became active.
        _cameras.Clock.Advance(OfflineAfter * 3);
        Assert.Equal(2, await detector.SweepAsync(default));
        Assert.Equal("offline", await HealthAsync(registeredActive.Id));
        Assert.Equal("unknown", await HealthAsync(installed.Id));
        Assert.Equal("unknown", await HealthAsync(planned.Id));
        Assert.Equal(["CameraWentOffline"], await EventsAsync(registeredActive.Id));

        await store.TransitionAsync(installed.Id, "active", null, "test", null, default);
        _cameras.Clock.Advance(OfflineAfter);
        Assert.Equal(0, await detector.SweepAsync(default));
        _cameras.Clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await detector.SweepAsync(default));
        Assert.Equal("offline", await HealthAsync(installed.Id));
        Assert.Null(await LastSeenInOfflineEventAsync(installed.Id));

        // Its silence now counts against its uptime, and its first heartbeat brings it back with the usual event.
        var silent = Assert.Single(await uptime.UptimeAsync(start, start.AddHours(1), "camera", null, default), u => u.Key == registeredActive.Id.ToString());
        Assert.Equal(0, silent.UptimePercent);
        Assert.True(silent.MonitoredSeconds > 0);
        await heartbeats.IngestAsync([(registeredActive.Id, null)], null, default);
        Assert.Equal("online", await HealthAsync(registeredActive.Id));
        Assert.Equal(["CameraWentOffline", "CameraCameBackOnline"], await EventsAsync(registeredActive.Id));
        Assert.Equal(0, await detector.SweepAsync(default));
    }

    [Fact]
    public async Task DecommissionedCameraIsNotMonitoredAndHeartbeatsOutsideTheCallersRegionAreNotApplied()
    {
        var store = _cameras.Services.GetRequiredService<CameraStore>();
        var heartbeats = _cameras.Services.GetRequiredService<HeartbeatIngestion>();
        var (camera, _) = await store.CreateAsync(Camera("active"), null, "test", default);
        await heartbeats.IngestAsync([(camera.Id, null)], null, default);
        await store.TransitionAsync(camera.Id, "decommissioned", null, "test", null, default);

        _cameras.Clock.Advance(OfflineAfter * 2);
        Assert.Equal(0, await _cameras.Services.GetRequiredService<OfflineDetector>().SweepAsync(default));
        Assert.Equal("unknown", await HealthAsync(camera.Id));

        var (other, _) = await store.CreateAsync(Camera("active"), null, "test", default);
        var result = await heartbeats.IngestAsync([(other.Id, null)], "KZ-71", default);
        Assert.Equal([other.Id], result.Unknown);
        Assert.Equal("unknown", await HealthAsync(other.Id));
    }

    [Fact]
    public async Task UptimeCountsOnlineTimeWithinThePeriodPerCameraAndOwner()
    {
        var store = _cameras.Services.GetRequiredService<CameraStore>();
        var heartbeats = _cameras.Services.GetRequiredService<HeartbeatIngestion>();
        var detector = _cameras.Services.GetRequiredService<OfflineDetector>();
        var uptime = _cameras.Services.GetRequiredService<UptimeQueries>();
        var start = _cameras.Clock.GetUtcNow();
        var (camera, _) = await store.CreateAsync(Camera("active"), null, "test", default);

        await heartbeats.IngestAsync([(camera.Id, null)], null, default);   // online at start
        _cameras.Clock.Advance(TimeSpan.FromSeconds(91));
        await detector.SweepAsync(default);                                  // offline at start + 91 s
        _cameras.Clock.Advance(TimeSpan.FromSeconds(100));
        await heartbeats.IngestAsync([(camera.Id, null)], null, default);   // online at start + 191 s
        _cameras.Clock.Advance(TimeSpan.FromSeconds(109));                           // now: start + 300 s

        var whole = Assert.Single(await uptime.UptimeAsync(start, start.AddHours(1), "camera", null, default));
        Assert.Equal(camera.Id.ToString(), whole.Key);
        Assert.Equal(200, whole.OnlineSeconds, 3);   // the period is cut at now
        Assert.Equal(300, whole.MonitoredSeconds, 3);
        Assert.Equal(66.667, whole.UptimePercent);

        var outage = Assert.Single(await uptime.UptimeAsync(start.AddSeconds(100), start.AddSeconds(150), "owner", null, default));
        Assert.Equal("akimat", outage.Key);
        Assert.Equal(0, outage.UptimePercent);
        Assert.Empty(await uptime.UptimeAsync(start, start.AddHours(1), "region", "KZ-71", default));
    }

    private static CameraRequest Camera(string status) =>
        new("cam", "fixed", "KZ-75", 43.25, 76.95, null, "Almaty", "street", "akimat", ["night_vision"], "ЦОУ", null, status);

    private async Task<string> HealthAsync(Guid id)
    {
        await using var cmd = _cameras.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand("SELECT health FROM cameras WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<string[]> EventsAsync(Guid id)
    {
        await using var cmd = _cameras.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "SELECT message_type FROM outbox_messages WHERE aggregate_key = @k ORDER BY id");
        cmd.Parameters.AddWithValue("k", id.ToString());
        var types = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            types.Add(reader.GetString(0).Split(',')[0].Split('.')[^1]);
        }

        return [.. types];
    }

    /// <summary>The offline event's lastSeenAt: null when the camera never reported.</summary>
    private async Task<DateTimeOffset?> LastSeenInOfflineEventAsync(Guid id)
    {
        await using var cmd = _cameras.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "SELECT (body::jsonb ->> 'lastSeenAt')::timestamptz FROM outbox_messages WHERE aggregate_key = @k AND message_type LIKE '%CameraWentOffline%'");
        cmd.Parameters.AddWithValue("k", id.ToString());
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
    }
}
