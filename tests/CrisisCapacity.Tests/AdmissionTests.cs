using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.CrisisCapacity.Tests;

[Collection(CrisisCollection.Name)]
public sealed class AdmissionTests(CrisisService crisis)
{
    [Fact]
    public async Task AMotherWithTwoChildrenIsAdmittedWithoutAHoldAndTakesThreeBeds()
    {
        var facility = await crisis.CreateFacilityAsync("KZ-27", 51.23, 51.37, [("women_with_children", 4, 0)]);
        using var officer = crisis.Client(["crisis.placement"], "KZ-27");
        var key = Guid.NewGuid().ToString();

        using var first = await AdmitAsync(officer, facility, [4, 9], key);
        using var repeated = await AdmitAsync(officer, facility, [4, 9], key);
        using var full = await AdmitAsync(officer, facility, [2, 3], Guid.NewGuid().ToString());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var placement = (await first.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(3, placement["beds"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, repeated.StatusCode);
        Assert.Equal(placement["id"]!.GetValue<Guid>(), (await repeated.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>());
        Assert.Equal(HttpStatusCode.Conflict, full.StatusCode);
        Assert.NotNull((await CrisisService.ProblemAsync(full))["alternatives"]);
        var counts = await crisis.AvailabilityAsync(facility, "women_with_children");
        Assert.Equal((3, 1), (counts["occupied"]!.GetValue<int>(), counts["available"]!.GetValue<int>()));
    }

    private static Task<HttpResponseMessage> AdmitAsync(HttpClient client, Guid facility, int[] childrenAges, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/crisis/placements")
        {
            Content = JsonContent.Create(new { facilityId = facility, category = "women_with_children", caseCode = "CC-2026-0A0B0C", childrenAges }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request);
    }
}
