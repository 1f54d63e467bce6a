using System.Net;
using System.Net.Http.Json;

namespace PublicSafety.Probation.Tests;

/// <summary>The device inventory: the lifecycle of devices nobody wears, and health by kind.</summary>
public sealed class DeviceTests(ProbationService probation) : IClassFixture<ProbationService>
{
    private const string Vendor = "vendor-gps-a";

    [Fact]
    public async Task ADeviceNobodyWearsMovesThroughTheInventoryAlongItsLifecycleOnly()
    {
        var officer = probation.NewOfficer();
        var device = await officer.RegisterDeviceAsync(Vendor);
        async Task<HttpResponseMessage> SetAsync(string status) =>
            await officer.Http.PostAsJsonAsync($"/api/probation/devices/{device.Id}/status", new { status });

        // In stock, found faulty, repaired, lost, turned up again (returned), checked back into stock.
        foreach (var status in new[] { "faulty", "in_stock", "lost", "returned", "in_stock" })
        {
            var changed = await SetAsync(status);
            Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
            Assert.Equal(status, (await changed.Content.ReadFromJsonAsync<DeviceDto>())!.Status);
        }

        foreach (var status in new[] { "in_stock", "returned" })
        {
            var refused = await SetAsync(status);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        Assert.Equal(HttpStatusCode.BadRequest, (await SetAsync("assigned")).StatusCode);
        using var astana = probation.Client("probation.officer", "astana-officer", "KZ-71");
        Assert.Equal(HttpStatusCode.NotFound, (await astana.PostAsJsonAsync($"/api/probation/devices/{device.Id}/status", new { status = "faulty" })).StatusCode);

        // A worn device changes status only by its release.
        var person = await officer.CreatePersonAsync();
        var worn = await officer.AssignDeviceAsync(person.Id, Vendor, "bracelet");
        Assert.Equal(HttpStatusCode.Conflict, (await officer.Http.PostAsJsonAsync($"/api/probation/devices/{worn.Id}/status", new { status = "faulty" })).StatusCode);
    }

    [Fact]
    public async Task ABaseUnitHasNoGpsSoContactIsItsHealth()
    {
        var officer = probation.NewOfficer();
        var person = await officer.CreatePersonAsync();
        var baseUnit = await officer.AssignDeviceAsync(person.Id, Vendor, "base_unit");
        var bracelet = await officer.AssignDeviceAsync(person.Id, Vendor, "bracelet");
        Task<DeviceDto?> HealthOfAsync(DeviceDto d) => officer.Http.GetFromJsonAsync<DeviceDto>($"/api/probation/devices/{d.Id}");
        Assert.Equal("stale", (await HealthOfAsync(baseUnit))!.Health);

        // Both report in, neither with a position: the bracelet lacks a fix, the base unit has none to lack.
        using var vendor = probation.Vendor(Vendor);
        var now = DateTimeOffset.UtcNow.AddSeconds(-1);
        var response = await vendor.PostAsJsonAsync("/api/probation/telemetry", new
        {
            events = new[] { baseUnit, bracelet }.Select(d => new { device = d.Serial, at = now, kind = "status", batteryPercent = 90 }).ToArray(),
        });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        Assert.Equal(("healthy", "no_fix"), ((await HealthOfAsync(baseUnit))!.Health, (await HealthOfAsync(bracelet))!.Health));
    }
}
