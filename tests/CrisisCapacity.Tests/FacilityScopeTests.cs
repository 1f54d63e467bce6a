using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.CrisisCapacity.Tests;

/// <summary>Issue 17 item 1: a manager limited to a region acts on that region's facilities only.</summary>
[Collection(CrisisCollection.Name)]
public sealed class FacilityScopeTests(CrisisService crisis)
{
    [Fact]
    public async Task AnAstanaManagerCannotReadChangeMoveOrDeleteAnAlmatyFacility()
    {
        var address = $"Almaty hidden court {Guid.NewGuid():N}";
        var almaty = await crisis.CreateFacilityAsync("KZ-75", 43.31, 76.81, [("women", 3, 0)], address);
        var other = await crisis.CreateFacilityAsync("KZ-75", 43.311, 76.811, [("women", 1, 0)]);
        using var astana = crisis.Client(["crisis.manage"], "KZ-71", user: "astana-manager");

        using var read = await astana.GetAsync($"/api/crisis/facilities/{almaty}");
        using var moved = await astana.PutAsJsonAsync($"/api/crisis/facilities/{almaty}", Body("KZ-71"));
        using var changed = await astana.PutAsJsonAsync($"/api/crisis/facilities/{almaty}", Body("KZ-75"));
        using var deleted = await astana.DeleteAsync($"/api/crisis/facilities/{other}");

        foreach (var response in new[] { read, moved, changed, deleted })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(address, body);
            Assert.Equal(404, (await CrisisService.ProblemAsync(response))["status"]!.GetValue<int>());
        }

        using var manager = crisis.Manager();
        var still = (await manager.GetFromJsonAsync<JsonObject>($"/api/crisis/facilities/{almaty}"))!;
        Assert.Equal(("KZ-75", address), (still["region"]!.GetValue<string>(), still["confidentialAddress"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"/api/crisis/facilities/{other}")).StatusCode);
    }

    [Fact]
    public async Task NobodyRegistersOrMovesAFacilityOutsideTheirRegion()
    {
        using var astana = crisis.Client(["crisis.manage"], "KZ-71", user: "astana-manager");
        using var created = await astana.PostAsJsonAsync("/api/crisis/facilities", Body("KZ-71"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = await CrisisService.IdOfAsync(created);

        using var elsewhere = await astana.PostAsJsonAsync("/api/crisis/facilities", Body("KZ-75"));
        using var move = await astana.PutAsJsonAsync($"/api/crisis/facilities/{id}", Body("KZ-75"));

        foreach (var response in new[] { elsewhere, move })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("Outside the caller's region", (await CrisisService.ProblemAsync(response))["title"]!.GetValue<string>());
        }

        var own = (await astana.GetFromJsonAsync<JsonObject>($"/api/crisis/facilities/{id}"))!;
        Assert.Equal("KZ-71", own["region"]!.GetValue<string>());
        using var edited = await astana.PutAsJsonAsync($"/api/crisis/facilities/{id}", Body("KZ-71"));
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);

        // A national manager may move it: shelters do relocate between regions.
        using var national = crisis.Manager();
        using var relocated = await national.PutAsJsonAsync($"/api/crisis/facilities/{id}", Body("KZ-11"));
        Assert.Equal(HttpStatusCode.OK, relocated.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await astana.GetAsync($"/api/crisis/facilities/{id}")).StatusCode);
    }

    private static object Body(string region) => new
    {
        kind = "crisis_centre_ngo",
        name = "Scoped centre",
        region,
        settlement = "Astana",
        latitude = 51.12,
        longitude = 71.40,
        confidentialAddress = "Scoped address",
        services = new { psychologist = true, lawyer = false, medicalCare = false, acceptsChildren = true, accessible = false },
        openAtNight = true,
        beds = new[] { new { category = "women", total = 2, outOfService = 0 } },
    };
}
