using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.RoadSafety.Tests;

/// <summary>One definition of a device's verification state, in its view and in the list's filters.</summary>
[Collection(RoadSafetyCollection.Name)]
public sealed class DeviceVerificationTests(RoadSafetyService service)
{
    [Fact]
    public async Task TheViewAndTheListFiltersAgreeOnValidLapsedNotYetValidAndNever()
    {
        var vendor = $"vendor-{Guid.NewGuid():N}";
        var now = DateTimeOffset.UtcNow;
        var valid = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor));
        await service.VerifyAsync(valid, now.AddYears(-1), now.AddYears(1));
        var lapsed = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor));
        await service.VerifyAsync(lapsed, now.AddYears(-2), now.AddDays(-1));
        // Out of verification now even though the renewal is booked: ingestion says verification_lapsed for it too.
        var renewalBooked = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor));
        await service.VerifyAsync(renewalBooked, now.AddYears(-2), now.AddHours(-1));
        await service.VerifyAsync(renewalBooked, now.AddDays(1), now.AddYears(1));
        var notYetValid = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor));
        await service.VerifyAsync(notYetValid, now.AddDays(1), now.AddYears(1));
        var never = await service.RegisterAsync(RoadSafetyService.NewDevice(vendor));

        var expected = new Dictionary<Guid, string>
        {
            [valid] = "valid", [lapsed] = "lapsed", [renewalBooked] = "lapsed", [notYetValid] = "not_yet_valid", [never] = "never",
        };
        using var reader = service.Reader();
        foreach (var (id, state) in expected)
        {
            var view = (await reader.GetFromJsonAsync<JsonObject>($"/api/roadsafety/devices/{id}"))!;
            Assert.Equal(state, view["verification"]!.GetValue<string>());
            Assert.Equal(state == "lapsed", view["verificationLapsed"]!.GetValue<bool>());
            Assert.Equal(state == "valid", view["currentVerification"] is not null);
        }

        async Task<Guid[]> ListAsync(string filter) =>
            (await reader.GetFromJsonAsync<JsonObject>($"/api/roadsafety/devices?vendorClientId={vendor}&{filter}"))!["items"]!.AsArray()
            .Select(i => i!["id"]!.GetValue<Guid>()).Order().ToArray();

        Guid[] With(Func<string, bool> state) => expected.Where(e => state(e.Value)).Select(e => e.Key).Order().ToArray();
        foreach (var state in new[] { "valid", "lapsed", "not_yet_valid", "never" })
        {
            Assert.Equal(With(s => s == state), await ListAsync($"verification={state}"));
        }

        Assert.Equal(With(s => s == "lapsed"), await ListAsync("verificationLapsed=true"));
        Assert.Equal(With(s => s != "lapsed"), await ListAsync("verificationLapsed=false"));
    }
}
