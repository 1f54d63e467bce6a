using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PublicSafety.RoadSafety.Apis;
using PublicSafety.RoadSafety.Health;
using PublicSafety.RoadSafety.Indicators;
using PublicSafety.RoadSafety.Infrastructure;
using PublicSafety.RoadSafety.Ingestion;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.Testing;

namespace PublicSafety.RoadSafety.Tests;

/// <summary>The silence detector, uptime and the daily-count norm on a controlled clock, with the service's own DI, against a real database.</summary>
public sealed class DetectorTests : IAsyncLifetime
{
    private const string Vendor = "vendor-clock";
    private static readonly TimeSpan SilentAfter = TimeSpan.FromMinutes(30);
    private readonly ManualClock _clock = new(DateTimeOffset.UtcNow);
    private TestDatabase _database = null!;
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("roadsafety", postgis: true);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration["ConnectionStrings:roadsafetydb"] = _database.ConnectionString;
        builder.Configuration["ConnectionStrings:messaging"] = TestEnvironment.RabbitUri.ToString();
        builder.Configuration["RoadSafety:SilentAfter"] = SilentAfter.ToString();
        builder.Configuration["services:cameras:grpc:0"] = "http://127.0.0.1:9";
        builder.Services.AddSingleton<TimeProvider>(_clock);
        Extensions.Extensions.AddApplicationServices(builder);
        _app = builder.Build(); // never started: no sweeper, no dispatcher; the test drives the detector
        var runner = new MigrationRunner(_app.Services.GetRequiredService<NpgsqlDataSource>(), NullLogger<MigrationRunner>.Instance);
        await runner.ApplyAsync([.. MigrationScript.Platform, .. MigrationScript.FromAssembly(typeof(Extensions.Extensions).Assembly)], default);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private async Task<Guid> DeviceAsync(string status = "active")
    {
        var store = _app.Services.GetRequiredService<DeviceStore>();
        var (device, _) = await store.CreateAsync(Guid.CreateVersion7(), new DeviceRequest("instant_speed", Vendor, "Vendor", "M", Guid.NewGuid().ToString("N"), "A",
            new DateOnly(2099, 1, 1), "KZ-31", "M-39", 10, null, 42.9, 71.4, "road_authority", null, status, null, null), default);
        await store.AddVerificationAsync(device!.Id, null, new VerificationRequest("C-" + device.Id, "Body", _clock.GetUtcNow().AddYears(-1), _clock.GetUtcNow().AddYears(1)), default);
        return device.Id;
    }

    /// <summary>Posts <paramref name="count"/> fixations, the first <paramref name="violating"/> of them speeding violations.</summary>
    private Task<FixationBatchResult> PostAsync(Guid device, ref long sequence, int count, int violating = 0)
    {
        var records = new List<FixationRecord?>();
        for (var i = 0; i < count; i++)
        {
            var seq = sequence++;
            records.Add(i < violating
                ? new FixationRecord(device, seq, _clock.GetUtcNow().AddMinutes(-1), $"{i % 1000:D3}ABC01", 95, 60, 1, "speeding", null,
                    [new EvidenceReference("photo", $"ph-{seq}", new string('a', 64))])
                : new FixationRecord(device, seq, _clock.GetUtcNow().AddMinutes(-1), $"{i % 1000:D3}ABC01", 50, 60, 1, null, null, null));
        }

        return _app.Services.GetRequiredService<FixationIngestion>().IngestAsync(Vendor, RegionScope.National, records, default);
    }

    [Fact]
    public async Task ASilentDeviceIsFlaggedOnceWithAnEventAndItsNextFixationEndsTheSilence()
    {
        var detector = _app.Services.GetRequiredService<SilenceDetector>();
        var device = await DeviceAsync();
        await DeviceAsync("planned"); // not in service: never silent
        long sequence = 0;
        var start = _clock.GetUtcNow();
        await PostAsync(device, ref sequence, 1);

        _clock.Advance(SilentAfter);
        Assert.Equal(0, await detector.SweepAsync(default));
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await detector.SweepAsync(default));
        Assert.Equal(0, await detector.SweepAsync(default));
        Assert.Equal(["DeviceWentSilent"], await EventsAsync(device));

        _clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(1, (await PostAsync(device, ref sequence, 1)).Accepted);
        Assert.Equal(0L, await ScalarAsync("SELECT count(*) FROM devices WHERE id = @d AND silent_since IS NOT NULL", device));

        // Silent from the last report (start) to the new one (start + 59 m 1 s) over a two-hour period.
        var queries = _app.Services.GetRequiredService<IndicatorQueries>();
        var uptime = await queries.UptimeAsync(device, null, start, start.AddHours(2), _clock.GetUtcNow(), default);
        Assert.Equal(3541, uptime!.SilentSeconds, 0);
        Assert.Equal(Math.Round(100 * (1 - 3541 / 7200.0), 2), uptime.UptimePercent);
    }

    [Fact]
    public async Task ReplicasSweepingAtOnceFlagEachSilentDeviceOnce()
    {
        var detector = _app.Services.GetRequiredService<SilenceDetector>();
        var devices = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            var device = await DeviceAsync();
            long sequence = 0;
            await PostAsync(device, ref sequence, 1);
            devices.Add(device);
        }

        _clock.Advance(SilentAfter + TimeSpan.FromSeconds(1));
        // Each sweep has its own connections and transactions, as a replica would.
        var flagged = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => detector.SweepAsync(default))));

        Assert.Equal(30, flagged.Sum());
        foreach (var device in devices)
        {
            Assert.Equal(["DeviceWentSilent"], await EventsAsync(device));
            Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM device_silences WHERE device_id = @d AND silent_until IS NULL", device));
        }
    }

    [Fact]
    public async Task PlatesOfFixationsWithoutViolationAreErasedAfterTheRetentionPeriod()
    {
        var device = await DeviceAsync();
        long sequence = 0;
        await PostAsync(device, ref sequence, 3);
        var speeding = new FixationRecord(device, 100, _clock.GetUtcNow().AddMinutes(-1), "999VIO01", 99, 60, 1, "speeding", null,
            [new EvidenceReference("photo", "p1", new string('f', 64))]);
        Assert.NotNull((await _app.Services.GetRequiredService<FixationIngestion>().IngestAsync(Vendor, RegionScope.National, [speeding], default)).Results[0].ViolationId);
        var eraser = _app.Services.GetRequiredService<PlateEraser>();

        _clock.Advance(TimeSpan.FromDays(89));
        Assert.Equal(0, await eraser.EraseAsync(default));
        _clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(3, await eraser.EraseAsync(default));

        Assert.Equal(3L, await ScalarAsync("SELECT count(*) FROM fixations WHERE device_id = @d AND plate IS NULL AND evidence = '[]' AND erased_at IS NOT NULL", device));
        Assert.Equal(1L, await ScalarAsync("SELECT count(*) FROM fixations WHERE device_id = @d AND plate = '999VIO01' AND evidence <> '[]'", device));
        Assert.Equal(4L, await ScalarAsync("SELECT sum(fixations) FROM device_daily_counts WHERE device_id = @d", device));
    }

    [Fact]
    public async Task ADailyCountFarFromTheDevicesOwnNormIsAnAnomaly()
    {
        var device = await DeviceAsync();
        long sequence = 0;
        var firstDay = Kazakhstan.LocalDate(_clock.GetUtcNow().AddMinutes(-1));
        for (var day = 0; day < 20; day++)
        {
            await PostAsync(device, ref sequence, 100 + day % 5);
            _clock.Advance(TimeSpan.FromDays(1));
        }

        await PostAsync(device, ref sequence, 300);
        var today = Kazakhstan.LocalDate(_clock.GetUtcNow().AddMinutes(-1));

        var days = (await _app.Services.GetRequiredService<IndicatorQueries>().DailyAsync(device, null, firstDay, today, default))!;
        Assert.Equal(21, days.Count);
        Assert.All(days.Take(14), d => Assert.Null(d.Anomaly)); // not enough history to judge
        Assert.All(days.Skip(14).Take(6), d => Assert.False(d.Anomaly));
        Assert.True(days[^1].Anomaly);
        Assert.Equal(300, days[^1].Fixations);
        Assert.Equal(102, days[^1].NormMedian);

        Assert.Equal(["fixations"], days[^1].AnomalousMeasures);
        Assert.False(days[^1].ViolationScore > IndicatorQueries.AnomalyScore);

        var anomalies = await _app.Services.GetRequiredService<IndicatorQueries>().AnomaliesAsync("KZ-31", today, default);
        var anomaly = Assert.Single(anomalies);
        Assert.Equal(device, anomaly.DeviceId);
        Assert.Equal(["fixations"], anomaly.AnomalousMeasures);
    }

    [Fact]
    public async Task ViolationsFarFromTheDevicesOwnNormAreAnAnomalyWhileItsFixationsAreNormal()
    {
        var device = await DeviceAsync();
        long sequence = 0;
        var firstDay = Kazakhstan.LocalDate(_clock.GetUtcNow().AddMinutes(-1));
        for (var day = 0; day < 20; day++)
        {
            await PostAsync(device, ref sequence, 100 + day % 5, violating: 5 + day % 3);
            _clock.Advance(TimeSpan.FromDays(1));
        }

        // The same traffic, but eight times the usual violations: a wrong limit or a misaimed radar, not busier roads.
        await PostAsync(device, ref sequence, 102, violating: 48);
        var today = Kazakhstan.LocalDate(_clock.GetUtcNow().AddMinutes(-1));

        var queries = _app.Services.GetRequiredService<IndicatorQueries>();
        var days = (await queries.DailyAsync(device, null, firstDay, today, default))!;
        Assert.All(days.Skip(14).Take(6), d => Assert.Empty(d.AnomalousMeasures));
        var last = days[^1];
        Assert.Equal((102, 48), (last.Fixations, last.Violations));
        Assert.Equal(6, last.ViolationNormMedian);
        Assert.True(last.ViolationScore > IndicatorQueries.AnomalyScore);
        Assert.False(last.Score > IndicatorQueries.AnomalyScore);
        Assert.True(last.Anomaly);
        Assert.Equal(["violations"], last.AnomalousMeasures);

        var anomaly = Assert.Single(await queries.AnomaliesAsync("KZ-31", today, default));
        Assert.Equal(device, anomaly.DeviceId);
        Assert.Equal(["violations"], anomaly.AnomalousMeasures);
        Assert.Equal(48, anomaly.Violations);
        Assert.Equal(6, anomaly.ViolationNormMedian);
    }

    private async Task<string[]> EventsAsync(Guid id)
    {
        await using var cmd = _app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(
            "SELECT message_type FROM outbox_messages WHERE aggregate_key = @k ORDER BY id");
        cmd.Parameters.AddWithValue("k", id.ToString());
        var types = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) types.Add(reader.GetString(0).Split(',')[0].Split('.', ':').Last());
        return [.. types];
    }

    private async Task<long> ScalarAsync(string sql, Guid device)
    {
        await using var cmd = _app.Services.GetRequiredService<NpgsqlDataSource>().CreateCommand(sql);
        cmd.Parameters.AddWithValue("d", device);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
