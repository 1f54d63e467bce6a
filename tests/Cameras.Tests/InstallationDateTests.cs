using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using PublicSafety.Cameras.Apis;
using PublicSafety.Cameras.Infrastructure;

namespace PublicSafety.Cameras.Tests;

/// <summary>A camera installed without a date takes today's date in Kazakhstan, on the service's clock.</summary>
public sealed class InstallationDateTests : IAsyncLifetime
{
    // 01:30 on 23 November in Almaty (UTC+5), still the 22nd in UTC.
    private readonly ClockedCameras _cameras = new(new DateTimeOffset(2026, 11, 22, 20, 30, 0, TimeSpan.Zero), TimeSpan.FromSeconds(90));

    public Task InitializeAsync() => _cameras.InitializeAsync();

    public Task DisposeAsync() => _cameras.DisposeAsync();

    [Fact]
    public async Task InstallingOrActivatingACameraWithoutADateInstallsItTodayInKazakhstanAndItCountsAsActual()
    {
        var store = _cameras.Get<CameraStore>();
        var today = new DateOnly(2026, 11, 23);
        var (installed, _) = await store.CreateAsync(Camera("planned", null), null, "test", default);
        var (activated, _) = await store.CreateAsync(Camera("installed", null), null, "test", default);
        var (dated, _) = await store.CreateAsync(Camera("planned", new DateOnly(2026, 10, 1)), null, "test", default);
        var (backFromMaintenance, _) = await store.CreateAsync(Camera("active", null), null, "test", default);

        await store.TransitionAsync(installed.Id, "installed", null, "test", null, default);
        await store.TransitionAsync(activated.Id, "active", null, "test", null, default);
        await store.TransitionAsync(dated.Id, "installed", null, "test", null, default);
        await store.TransitionAsync(backFromMaintenance.Id, "maintenance", null, "test", null, default);
        await store.TransitionAsync(backFromMaintenance.Id, "active", null, "test", null, default);

        Assert.Equal(today, (await store.GetAsync(installed.Id, null, default))!.InstalledOn);
        Assert.Equal(today, (await store.GetAsync(activated.Id, null, default))!.InstalledOn);
        Assert.Equal(new DateOnly(2026, 10, 1), (await store.GetAsync(dated.Id, null, default))!.InstalledOn);
        Assert.Null((await store.GetAsync(backFromMaintenance.Id, null, default))!.InstalledOn);

        // Moving on keeps the date it was installed on.
        _cameras.Clock.Advance(TimeSpan.FromDays(3));
        await store.TransitionAsync(installed.Id, "active", null, "test", null, default);
        Assert.Equal(today, (await store.GetAsync(installed.Id, null, default))!.InstalledOn);

        var actual = Assert.Single(await _cameras.Get<InstallationPlanStore>().ProgressAsync(2026, 2026, "KZ-75", default), p => p.Region == "KZ-75");
        Assert.Equal(3, actual.InstalledCameras);
    }

    private static CameraRequest Camera(string status, DateOnly? installedOn) =>
        new("cam", "fixed", "KZ-75", 43.25, 76.95, null, "Almaty", "street", "akimat", ["night_vision"], "ЦОУ", installedOn, status);
}
