using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PublicSafety.Cameras.Apis;
using PublicSafety.Cameras.Health;
using PublicSafety.Cameras.Infrastructure;

namespace PublicSafety.Cameras.Tests;

/// <summary>Uptime read from each camera's state at the period's start, its pages, and the health log's retention, on a controlled clock.</summary>
public sealed class UptimeRetentionTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 8, 0, 0, TimeSpan.Zero);
    private readonly ClockedCameras _cameras = new(Now, TimeSpan.FromSeconds(90));

    public Task InitializeAsync() => _cameras.InitializeAsync();

    public Task DisposeAsync() => _cameras.DisposeAsync();

    [Fact]
    public async Task RetentionDeletesOldRowsButEachCamerasLastBeforeTheCutSoUptimeInsideTheWindowIsUnchanged()
    {
        var store = _cameras.Get<CameraStore>();
        var uptime = _cameras.Get<UptimeQueries>();
        var cut = Now - TimeSpan.FromDays(730);
        var (flapping, _) = await store.CreateAsync(Camera(), null, "test", default);
        var (steady, _) = await store.CreateAsync(Camera(), null, "test", default);
        // flapping: online three years ago, offline, online again a day before the cut (its state at the cut), then offline inside
        // the window. steady: online four years ago and never since, so its only row is far behind the cut.
        await LogAsync(flapping.Id, ("online", Now.AddDays(-1095)), ("offline", Now.AddDays(-900)), ("online", cut.AddDays(-1)),
            ("offline", cut.AddDays(100)), ("online", cut.AddDays(100).AddHours(6)));
        await LogAsync(steady.Id, ("online", Now.AddDays(-1460)));
        // Two rows of one instant before the cut: the one logged later (higher id) is the state.
        var (twin, _) = await store.CreateAsync(Camera(), null, "test", default);
        await LogAsync(twin.Id, ("online", cut.AddDays(-10)), ("offline", cut.AddDays(-3)), ("online", cut.AddDays(-3)));

        var periods = new[] { (cut, Now), (cut.AddDays(99), cut.AddDays(101)), (cut, cut.AddDays(1)) };
        var before = new List<IReadOnlyList<Uptime>>();
        foreach (var (from, to) in periods) before.Add(await uptime.UptimeAsync(from, to, "camera", null, default));

        Assert.Equal(4, await _cameras.Get<HealthLogRetention>().RunOnceAsync(default));
        Assert.Equal(0, await _cameras.Get<HealthLogRetention>().RunOnceAsync(default));

        for (var i = 0; i < periods.Length; i++)
        {
            Assert.Equal(before[i], await uptime.UptimeAsync(periods[i].Item1, periods[i].Item2, "camera", null, default));
        }

        var flappingWindow = Assert.Single(before[1], u => u.Key == flapping.Id.ToString());
        Assert.Equal(TimeSpan.FromDays(2).TotalSeconds - 6 * 3600, flappingWindow.OnlineSeconds, 3);
        Assert.Equal(100, Assert.Single(before[0], u => u.Key == steady.Id.ToString()).UptimePercent);
        Assert.Equal(100, Assert.Single(before[2], u => u.Key == twin.Id.ToString()).UptimePercent);
        Assert.Equal([("online", cut.AddDays(-1)), ("offline", cut.AddDays(100)), ("online", cut.AddDays(100).AddHours(6))], await RowsAsync(flapping.Id));
        Assert.Equal([("online", Now.AddDays(-1460))], await RowsAsync(steady.Id));
        Assert.Equal([("online", cut.AddDays(-3))], await RowsAsync(twin.Id));
    }

    [Fact]
    public async Task UptimeByCameraComesInPagesThatHoldEveryCameraOnce()
    {
        var store = _cameras.Get<CameraStore>();
        var uptime = _cameras.Get<UptimeQueries>();
        var logged = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            var (camera, _) = await store.CreateAsync(Camera(), null, "test", default);
            await LogAsync(camera.Id, ("online", Now.AddDays(-i - 1)));
            logged.Add(camera.Id);
        }

        // Cameras with no row before the period's end are in no page, so they cannot make a page short before the last.
        await store.CreateAsync(Camera(), null, "test", default);
        var (future, _) = await store.CreateAsync(Camera(), null, "test", default);
        await LogAsync(future.Id, ("online", Now.AddHours(1)));

        var seen = new List<string>();
        Guid? after = null;
        var pages = 0;
        while (true)
        {
            var page = await uptime.UptimeAsync(Now.AddDays(-30), Now, "camera", null, default, limit: 3, after: after);
            pages++;
            seen.AddRange(page.Select(u => u.Key));
            if (page.Count < 3) break;
            after = Guid.Parse(page[^1].Key);
        }

        Assert.Equal(3, pages);
        Assert.Equal(logged.Order().Select(id => id.ToString()), seen);
    }

    private static CameraRequest Camera() =>
        new("cam", "fixed", "KZ-75", 43.25, 76.95, null, "Almaty", "street", "akimat", ["night_vision"], "ЦОУ", null, "active");

    private async Task LogAsync(Guid camera, params (string Health, DateTimeOffset At)[] rows)
    {
        foreach (var (health, at) in rows)
        {
            await using var cmd = _cameras.Get<NpgsqlDataSource>().CreateCommand("INSERT INTO camera_health_log (camera_id, health, at) VALUES (@c, @h, @at)");
            cmd.Parameters.AddWithValue("c", camera);
            cmd.Parameters.AddWithValue("h", health);
            cmd.Parameters.AddWithValue("at", at);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    private async Task<(string, DateTimeOffset)[]> RowsAsync(Guid camera)
    {
        await using var cmd = _cameras.Get<NpgsqlDataSource>().CreateCommand("SELECT health, at FROM camera_health_log WHERE camera_id = @c ORDER BY at, id");
        cmd.Parameters.AddWithValue("c", camera);
        var rows = new List<(string, DateTimeOffset)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) rows.Add((r.GetString(0), r.GetFieldValue<DateTimeOffset>(1)));
        return [.. rows];
    }
}
