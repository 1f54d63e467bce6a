using System.Net;

namespace PublicSafety.CrisisCapacity.Tests;

[Collection(CrisisCollection.Name)]
public sealed class ConfidentialityTests(CrisisService crisis)
{
    [Fact]
    public async Task TheConfidentialAddressNeverReachesACrisisReadCallerOrTheLog()
    {
        var address = $"ул. Тайная {Guid.NewGuid():N}, кв. 7";
        var facility = await crisis.CreateFacilityAsync("KZ-79", 42.32, 69.59, [("women", 4, 0)], address);
        using var reader = crisis.Client(["crisis.read"]);
        using var placement = crisis.Client(["crisis.placement"], "KZ-79");

        var asReader = await reader.GetStringAsync($"/api/crisis/facilities/{facility}");
        var search = await reader.GetStringAsync("/api/crisis/availability?region=KZ-79");
        var near = await reader.GetStringAsync("/api/crisis/availability?lat=42.32&lon=69.59&radiusKm=5");
        var asPlacement = await placement.GetStringAsync($"/api/crisis/facilities/{facility}");

        Assert.Contains(facility.ToString(), search);
        Assert.Contains(facility.ToString(), near);
        foreach (var body in new[] { asReader, search, near })
        {
            Assert.DoesNotContain(address, body);
            Assert.DoesNotContain("confidentialAddress", body);
            Assert.DoesNotContain("latitude", body);
        }

        Assert.Contains(address, System.Text.RegularExpressions.Regex.Unescape(asPlacement));
        using var anonymous = crisis.Process.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/crisis/facilities/{facility}")).StatusCode);

        // The address must be in no log line, whatever the service logged while handling these requests.
        var log = await File.ReadAllTextAsync(crisis.Process.LogFile);
        Assert.DoesNotContain(address, log);
        Assert.DoesNotContain("Тайная", log);
    }
}
