using System.Net;
using System.Xml.Linq;

namespace PublicSafety.CrisisCapacity.Tests;

[Collection(CrisisCollection.Name)]
public sealed class FeedTests(CrisisService crisis)
{
    private static readonly XNamespace Have = "urn:oasis:names:tc:emergency:EDXL:HAVE:1.0";

    [Fact]
    public async Task TheEdxlHaveFeedCarriesCountsPerCategoryAndNoAddress()
    {
        var address = $"Hidden yard {Guid.NewGuid():N}";
        // Kyzylorda: no other test uses it.
        var facility = await crisis.CreateFacilityAsync("KZ-43", 44.85, 65.51, [("women", 5, 1), ("detox", 2, 0)], address);
        using var officer = crisis.Client(["crisis.placement"], "KZ-43");
        Assert.Equal(HttpStatusCode.Created, (await CrisisService.ReserveAsync(officer, facility, "detox", beds: 2)).StatusCode);
        using var reader = crisis.Client(["crisis.read"]);

        using var response = await reader.GetAsync("/api/crisis/feeds/edxl-have?region=KZ-43");
        var xml = await response.Content.ReadAsStringAsync();

        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain(address, xml);
        var hospital = XDocument.Parse(xml).Root!.Elements(Have + "Hospital")
            .Single(h => h.Descendants().Any(e => e.Value == facility.ToString()));
        var capacity = hospital.Descendants(Have + "BedCapacity").ToDictionary(
            b => b.Element(Have + "BedType")!.Value,
            b => (Status: b.Descendants(Have + "CapacityStatus").Single().Value, Available: (int)b.Descendants(Have + "AvailableCount").Single(),
                  Baseline: (int)b.Descendants(Have + "BaselineCount").Single()));
        Assert.Equal(("VacantAvailable", 4, 4), capacity["women"]);
        Assert.Equal(("NotAvailable", 0, 2), capacity["detox"]);
        Assert.Equal(HttpStatusCode.BadRequest, (await reader.GetAsync("/api/crisis/feeds/edxl-have?region=XX")).StatusCode);
    }
}
