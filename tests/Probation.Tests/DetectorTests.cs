using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PublicSafety.Probation.Apis;
using PublicSafety.Probation.Background;
using PublicSafety.Probation.Evaluation;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.Probation.Model;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.Testing;

namespace PublicSafety.Probation.Tests;

/// <summary>
/// The background detectors on a controlled clock, with the service's own DI against a real database (the app is never
/// started: the test runs each job's pass itself).
/// </summary>
public sealed class DetectorTests : IAsyncLifetime
{
    private const string Vendor = "vendor-gps-a";
    // Friday 20 November 2026, 12:00 in Almaty (UTC+5).
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 20, 7, 0, 0, TimeSpan.Zero));
    private TestDatabase _database = null!;
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("probation", postgis: true);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration["ConnectionStrings:probationdb"] = _database.ConnectionString;
        builder.Configuration["ConnectionStrings:messaging"] = TestEnvironment.RabbitUri.ToString();
        builder.Configuration["Probation:Detection:NoFixAfter"] = "00:15:00";
        builder.Configuration["Probation:Detection:ChargeWithin"] = "00:30:00";
        builder.Configuration["Probation:Retention:KeepPositionsAfterSupervision"] = "30.00:00:00";
        builder.Services.AddSingleton<TimeProvider>(_clock);
        PublicSafety.Probation.Extensions.Extensions.AddApplicationServices(builder);
        _app = builder.Build();
        var runner = new MigrationRunner(_app.Services.GetRequiredService<NpgsqlDataSource>(), NullLogger<MigrationRunner>.Instance);
        await runner.ApplyAsync([.. MigrationScript.Platform, .. MigrationScript.FromAssembly(typeof(PublicSafety.Probation.Extensions.Extensions).Assembly)], default);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    private T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    private async Task<(PersonRow Person, string Serial)> PersonWithBraceletAsync(bool home = false)
    {
        var now = _clock.GetUtcNow();
        var (created, _) = await Get<PersonStore>().CreateAsync(new PersonRequest("house_arrest", "KZ-75", "2-77/2026", "Synthetic Person", null, null,
            now.AddDays(-40), now.AddDays(100)), "user-officer", null, RegionScope.National, default);
        var person = created!;
        if (home)
        {
            await Get<PersonStore>().AddZoneAsync(person.Id, new ZoneRequest("inclusion", "Home", ProbationService.HomeLat, ProbationService.HomeLon, 80, null,
                [new CurfewDto([], "22:00", "06:00")]), default);
        }

        var serial = "SN-" + Guid.NewGuid().ToString("N")[..10];
        var device = await Get<DeviceStore>().CreateAsync(new DeviceRequest(Vendor, serial, "bracelet", "KZ-75", null), default);
        Assert.Equal(AssignOutcome.Assigned, await Get<DeviceStore>().AssignAsync(device!.Id, person, "user-officer", default));
        return (person, serial);
    }

    private Task<Model.TelemetryResult> SendAsync(string serial, double meters, DateTimeOffset at, params DeviceEventReport[] events)
    {
        var (lat, lon) = Geo.Offset(ProbationService.HomeLat, ProbationService.HomeLon, meters, 90);
        return Get<TelemetryIngestion>().IngestAsync(Vendor, RegionScope.National, [new PositionReport(serial, at, lat, lon, 10, null)], events, default);
    }

    private async Task<List<string>> KindsAsync(Guid person)
    {
        await using var cmd = Get<NpgsqlDataSource>().CreateCommand("SELECT kind || CASE WHEN suppressed THEN ':suppressed' ELSE '' END FROM violations WHERE person_id = @p ORDER BY started_at");
        cmd.Parameters.AddWithValue("p", person);
        var kinds = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) kinds.Add(r.GetString(0));
        return kinds;
    }

    [Fact]
    public async Task ASilentBraceletIsOneNoFixViolationEvenIfItStillConnects()
    {
        var (person, serial) = await PersonWithBraceletAsync();
        await SendAsync(serial, 10, _clock.GetUtcNow());
        var detector = Get<DeviceDetector>();

        _clock.Advance(TimeSpan.FromMinutes(15));
        Assert.Equal(0, await detector.RunOnceAsync(default));
        // The device keeps connecting (a status event) without fixes: still silent as far as positions go.
        await Get<TelemetryIngestion>().IngestAsync(Vendor, RegionScope.National, [], [new DeviceEventReport(serial, _clock.GetUtcNow(), DeviceEventKinds.Status, 80, "4.2.2")], default);
        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await detector.RunOnceAsync(default));
        Assert.Equal(0, await detector.RunOnceAsync(default));
        var device = (await Get<DeviceStore>().ListAsync(RegionScope.Of("KZ-75"), "assigned", null, 500, default)).Single(d => d.Serial == serial);
        Assert.Equal(("no_fix", 80, "4.2.2"), (device.Health, device.BatteryPercent, device.Firmware));

        // A new fix ends the silence; a second silence is a second violation.
        await SendAsync(serial, 10, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(16));
        Assert.Equal(1, await detector.RunOnceAsync(default));
        Assert.Equal([ViolationKinds.NoFix, ViolationKinds.NoFix], await KindsAsync(person.Id));
    }

    [Fact]
    public async Task TwoReplicasSweepingAtOnceRecordEachSilenceOnce()
    {
        var persons = new List<Guid>();
        for (var i = 0; i < 30; i++)
        {
            var (person, serial) = await PersonWithBraceletAsync();
            await SendAsync(serial, 10, _clock.GetUtcNow());
            persons.Add(person.Id);
        }

        _clock.Advance(TimeSpan.FromMinutes(20));
        var detector = Get<DeviceDetector>();
        var found = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => detector.RunOnceAsync(default))));

        Assert.Equal(30, found.Sum());
        foreach (var person in persons)
        {
            Assert.Equal([ViolationKinds.NoFix], await KindsAsync(person));
        }
    }

    [Fact]
    public async Task ALowBatteryIsAViolationOnlyIfNotChargedInTime()
    {
        var (charged, chargedSerial) = await PersonWithBraceletAsync();
        var (flat, flatSerial) = await PersonWithBraceletAsync();
        var now = _clock.GetUtcNow();
        await SendAsync(chargedSerial, 10, now, new DeviceEventReport(chargedSerial, now, DeviceEventKinds.BatteryLow, 9, null));
        await SendAsync(flatSerial, 10, now, new DeviceEventReport(flatSerial, now, DeviceEventKinds.BatteryLow, 9, null));
        // The charging event arrives before the (late) battery-low one it answers: order of arrival does not matter.
        await Get<TelemetryIngestion>().IngestAsync(Vendor, RegionScope.National, [], [new DeviceEventReport(chargedSerial, now.AddMinutes(20), DeviceEventKinds.ChargingStarted, null, null)], default);

        _clock.Advance(TimeSpan.FromMinutes(10));
        await SendAsync(chargedSerial, 10, _clock.GetUtcNow());
        await SendAsync(flatSerial, 10, _clock.GetUtcNow());
        _clock.Advance(TimeSpan.FromMinutes(21));
        await SendAsync(chargedSerial, 10, _clock.GetUtcNow());
        await SendAsync(flatSerial, 10, _clock.GetUtcNow());
        await Get<DeviceDetector>().RunOnceAsync(default);

        Assert.Empty(await KindsAsync(charged.Id));
        Assert.Equal([ViolationKinds.BatteryNotCharged], await KindsAsync(flat.Id));
    }

    [Fact]
    public async Task APersonAwayWithNoNewFixesBreachesCurfewWhenTheWindowBegins()
    {
        var (person, serial) = await PersonWithBraceletAsync(home: true);
        // 12:00 local: leaves home (500 m away), then the bracelet goes quiet.
        await SendAsync(serial, 500, _clock.GetUtcNow());
        var sweeper = Get<CurfewSweeper>();
        Assert.Equal(0, await sweeper.RunOnceAsync(default));

        _clock.Advance(TimeSpan.FromHours(9) + TimeSpan.FromMinutes(59)); // 21:59 local
        Assert.Equal(0, await sweeper.RunOnceAsync(default));
        _clock.Advance(TimeSpan.FromMinutes(2)); // 22:01 local
        Assert.Equal(1, await sweeper.RunOnceAsync(default));
        Assert.Equal(0, await sweeper.RunOnceAsync(default));
        Assert.Equal([ViolationKinds.CurfewBreach], await KindsAsync(person.Id));

        // A fix in the same window, still away, is the same breach.
        await SendAsync(serial, 600, _clock.GetUtcNow());
        Assert.Equal([ViolationKinds.CurfewBreach], await KindsAsync(person.Id));
    }

    [Fact]
    public async Task WindowsTheSweeperMissedAreCaughtUpOnceWithExceptionsAndCustody()
    {
        var windowStart = new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero); // Friday 22:00 in Almaty
        var (away, awaySerial) = await PersonWithBraceletAsync(home: true);
        var (cameHome, cameHomeSerial) = await PersonWithBraceletAsync(home: true);
        var (stillAway, stillAwaySerial) = await PersonWithBraceletAsync(home: true);
        var (lateUpload, lateUploadSerial) = await PersonWithBraceletAsync(home: true);
        var (excused, excusedSerial) = await PersonWithBraceletAsync(home: true);
        var (detained, detainedSerial) = await PersonWithBraceletAsync(home: true);
        await Get<PersonStore>().AddExceptionAsync(excused.Id, new ExceptionRequest("work", windowStart.AddHours(-1), windowStart.AddHours(9), "night shift"), "user-officer", default);
        await Get<PersonStore>().AddCustodyAsync(detained.Id, new CustodyRequest(windowStart.AddHours(-1), null, "administrative detention"), "user-officer", default);
        // 12:00 local: all but one leave home (500 m away); that one is at home, and its bracelet then goes quiet.
        foreach (var serial in new[] { awaySerial, cameHomeSerial, stillAwaySerial, excusedSerial, detainedSerial })
        {
            await SendAsync(serial, 500, _clock.GetUtcNow());
        }

        await SendAsync(lateUploadSerial, 10, _clock.GetUtcNow());
        var sweeper = Get<CurfewSweeper>();
        Assert.Equal(0, await sweeper.RunOnceAsync(default));

        // The service is down from before 22:00 until 08:00 the next morning: no sweep covers the window. On the way back
        // up, some devices upload before the sweeper's first pass: one is home again since 07:00, one is still away, and
        // the quiet one uploads what it kept: away from 20:30, home at 07:00 - no fix inside the window.
        _clock.Advance(TimeSpan.FromHours(20)); // Saturday 08:00 local
        var now = _clock.GetUtcNow();
        await SendAsync(cameHomeSerial, 10, now.AddHours(-1));
        await SendAsync(stillAwaySerial, 600, now);
        var (awayLat, awayLon) = Geo.Offset(ProbationService.HomeLat, ProbationService.HomeLon, 500, 90);
        var (homeLat, homeLon) = Geo.Offset(ProbationService.HomeLat, ProbationService.HomeLon, 10, 90);
        await Get<TelemetryIngestion>().IngestAsync(Vendor, RegionScope.National, [
            new PositionReport(lateUploadSerial, windowStart.AddMinutes(-90), awayLat, awayLon, 10, null),
            new PositionReport(lateUploadSerial, now.AddHours(-1), homeLat, homeLon, 10, null)], [], default);
        Assert.Empty(await KindsAsync(lateUpload.Id));

        Assert.Equal(5, await sweeper.RunOnceAsync(default));
        Assert.Equal(0, await sweeper.RunOnceAsync(default));
        foreach (var person in new[] { away, cameHome, stillAway, lateUpload })
        {
            Assert.Equal([ViolationKinds.CurfewBreach], await KindsAsync(person.Id));
        }

        Assert.Empty(await KindsAsync(excused.Id));
        Assert.Equal([$"{ViolationKinds.CurfewBreach}:suppressed"], await KindsAsync(detained.Id));
        await using (var started = Get<NpgsqlDataSource>().CreateCommand("SELECT started_at FROM violations WHERE person_id = @p"))
        {
            started.Parameters.AddWithValue("p", away.Id);
            Assert.Equal(windowStart.UtcDateTime, (DateTime)(await started.ExecuteScalarAsync())!);
        }

        // Down again for a whole day and night: those still away breach Saturday's window, once (the exception was for
        // Friday night only; custody goes on), those home do not.
        _clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(4, await sweeper.RunOnceAsync(default));
        Assert.Equal([ViolationKinds.CurfewBreach], await KindsAsync(excused.Id));
        Assert.Equal([ViolationKinds.CurfewBreach, ViolationKinds.CurfewBreach], await KindsAsync(away.Id));
        Assert.Equal([ViolationKinds.CurfewBreach], await KindsAsync(cameHome.Id));
        Assert.Equal(0, await sweeper.RunOnceAsync(default));
        Assert.Equal([ViolationKinds.CurfewBreach, ViolationKinds.CurfewBreach], await KindsAsync(away.Id));
    }

    [Fact]
    public async Task AnApprovedExceptionExcusesAndCustodySuppresses()
    {
        var (excused, excusedSerial) = await PersonWithBraceletAsync(home: true);
        var (detained, detainedSerial) = await PersonWithBraceletAsync(home: true);
        var windowStart = new DateTimeOffset(2026, 11, 20, 17, 0, 0, TimeSpan.Zero);
        await Get<PersonStore>().AddExceptionAsync(excused.Id, new ExceptionRequest("work", windowStart.AddHours(-1), windowStart.AddHours(3), "night shift"), "user-officer", default);
        await Get<PersonStore>().AddCustodyAsync(detained.Id, new CustodyRequest(windowStart.AddHours(-1), null, "administrative detention"), "user-officer", default);

        _clock.Advance(TimeSpan.FromHours(10) + TimeSpan.FromMinutes(30)); // 22:30 local
        await SendAsync(excusedSerial, 500, _clock.GetUtcNow());
        await SendAsync(detainedSerial, 500, _clock.GetUtcNow());
        await Get<CurfewSweeper>().RunOnceAsync(default);

        Assert.Empty(await KindsAsync(excused.Id));
        Assert.Equal([$"{ViolationKinds.CurfewBreach}:suppressed"], await KindsAsync(detained.Id));
        await using var alerts = Get<NpgsqlDataSource>().CreateCommand("SELECT count(*) FROM alerts WHERE person_id = @p");
        alerts.Parameters.AddWithValue("p", detained.Id);
        Assert.Equal(0L, await alerts.ExecuteScalarAsync());

        // The exception ends at 01:00 local while the window lasts until 06:00: the sweeper looks again and finds the breach.
        _clock.Advance(TimeSpan.FromHours(3));
        await Get<CurfewSweeper>().RunOnceAsync(default);
        Assert.Equal([ViolationKinds.CurfewBreach], await KindsAsync(excused.Id));
    }

    [Fact]
    public async Task ADeviceReleasedWhileItsBatchIsLoadingLeavesTheBatchWhole()
    {
        var (person, serial) = await PersonWithBraceletAsync();
        var device = (await Get<DeviceStore>().ListAsync(RegionScope.Of("KZ-75"), "assigned", null, 500, default)).Single(d => d.Serial == serial);
        var dataSource = Get<NpgsqlDataSource>();
        await using var holder = await dataSource.OpenConnectionAsync();
        await using var hold = await holder.BeginTransactionAsync();
        // The batch reads its devices, then waits here before it loads their persons: the release falls in between.
        await using (var lockStates = new NpgsqlCommand("LOCK TABLE person_state IN EXCLUSIVE MODE", holder, hold))
        {
            await lockStates.ExecuteNonQueryAsync();
        }

        Task<bool> WaitingAsync(int count, Task? unless = null) => Eventually.HoldsAsync(async () =>
        {
            await using var waiting = dataSource.CreateCommand(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
            return unless is { IsCompleted: true } || (long)(await waiting.ExecuteScalarAsync())! >= count;
        }, TimeSpan.FromSeconds(10));

        var batch = SendAsync(serial, 10, _clock.GetUtcNow());
        Assert.True(await WaitingAsync(1));
        var release = Get<DeviceStore>().ReleaseAsync(device.Id, "returned", default);
        Assert.True(await WaitingAsync(2, unless: release));
        await hold.CommitAsync();

        var result = await batch;
        Assert.True(await release);
        // The batch came first: the fix is the wearer's, and the device is released after it.
        Assert.Equal(1, result.PositionsAccepted);
        await using var stored = dataSource.CreateCommand("SELECT count(*) FROM positions WHERE person_id = @p");
        stored.Parameters.AddWithValue("p", person.Id);
        Assert.Equal(1L, await stored.ExecuteScalarAsync());
    }

    [Fact]
    public async Task RawPositionsAreDeletedTheConfiguredTimeAfterSupervisionEnds()
    {
        var (person, serial) = await PersonWithBraceletAsync();
        await Get<PersonStore>().AddZoneAsync(person.Id, new ZoneRequest("exclusion", "School", ProbationService.HomeLat, ProbationService.HomeLon, 100, 300, null),
            default);
        await SendAsync(serial, 10, _clock.GetUtcNow());
        Assert.Equal([ViolationKinds.ExclusionEntry], await KindsAsync(person.Id));
        await Get<PersonStore>().UpdateSupervisionAsync(person.Id, _clock.GetUtcNow().AddMinutes(1), null, default);
        var retention = Get<RetentionJob>();

        _clock.Advance(TimeSpan.FromDays(30));
        Assert.Equal(0, await retention.RunOnceAsync(default));
        _clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(1, await retention.RunOnceAsync(default));

        await using var cmd = Get<NpgsqlDataSource>().CreateCommand("SELECT count(*) FROM positions WHERE person_id = @p");
        cmd.Parameters.AddWithValue("p", person.Id);
        Assert.Equal(0L, await cmd.ExecuteScalarAsync());
        // The last position kept for the detectors is location history too.
        await using var last = Get<NpgsqlDataSource>().CreateCommand(
            "SELECT last_latitude IS NULL AND last_longitude IS NULL AND last_accuracy IS NULL FROM person_state WHERE person_id = @p");
        last.Parameters.AddWithValue("p", person.Id);
        Assert.Equal(true, await last.ExecuteScalarAsync());
        // So are the copies a violation and its alert keep; the records themselves stay.
        await using var kept = Get<NpgsqlDataSource>().CreateCommand("""
            SELECT v.latitude IS NULL AND v.longitude IS NULL AND v.evidence = '[]' AND a.latitude IS NULL AND a.longitude IS NULL
            FROM violations v JOIN alerts a ON a.violation_id = v.id WHERE v.person_id = @p
            """);
        kept.Parameters.AddWithValue("p", person.Id);
        Assert.Equal(true, await kept.ExecuteScalarAsync());
        Assert.Equal([ViolationKinds.ExclusionEntry], await KindsAsync(person.Id));

        // The bracelet was never taken off: what it sends after the purge is deleted by the next run, and only that.
        await SendAsync(serial, 10, _clock.GetUtcNow(), new DeviceEventReport(serial, _clock.GetUtcNow(), "battery_low", 12, null));
        Assert.Equal(1L, await cmd.ExecuteScalarAsync());
        Assert.Equal(1, await retention.RunOnceAsync(default));
        Assert.Equal(0L, await cmd.ExecuteScalarAsync());
        await using var events = Get<NpgsqlDataSource>().CreateCommand("SELECT count(*) FROM device_events WHERE person_id = @p");
        events.Parameters.AddWithValue("p", person.Id);
        Assert.Equal(0L, await events.ExecuteScalarAsync());
        Assert.Equal(0, await retention.RunOnceAsync(default));

        // A person purged while violations still kept their positions (before they were cleared too) is looked at again.
        await using (var before = Get<NpgsqlDataSource>().CreateCommand("UPDATE violations SET latitude = 43.2, longitude = 76.9 WHERE person_id = @p"))
        {
            before.Parameters.AddWithValue("p", person.Id);
            await before.ExecuteNonQueryAsync();
        }

        Assert.Equal(1, await retention.RunOnceAsync(default));
        Assert.Equal(true, await kept.ExecuteScalarAsync());
    }

    private sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
