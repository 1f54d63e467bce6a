using System.Net;

namespace PublicSafety.CrisisCapacity.Tests;

/// <summary>
/// Issue 17 item 3: idempotency keys belong to the calling client and user, not to a region. The same user replaying a
/// key with a token of another region must not get back the first record.
/// </summary>
[Collection(CrisisCollection.Name)]
public sealed class ReplayScopeTests(CrisisService crisis)
{
    [Fact]
    public async Task ReplayingAReservationKeyWithAnotherRegionsTokenNeverReturnsTheFirstHold()
    {
        var almaty = await crisis.CreateFacilityAsync("KZ-75", 43.37, 76.87, [("men", 3, 0)]);
        var astana = await crisis.CreateFacilityAsync("KZ-71", 51.21, 71.51, [("men", 3, 0)]);
        var (key, code) = (Guid.NewGuid().ToString(), CrisisService.NewCaseCode());
        using var inAlmaty = crisis.Client(["crisis.placement"], "KZ-75", user: "travelling-officer");
        using var inAstana = crisis.Client(["crisis.placement"], "KZ-71", user: "travelling-officer");

        using var first = await CrisisService.ReserveAsync(inAlmaty, almaty, "men", key: key, caseCode: code);
        var id = await CrisisService.IdOfAsync(first);
        using var replay = await CrisisService.ReserveAsync(inAstana, almaty, "men", key: key, caseCode: code);
        using var elsewhere = await CrisisService.ReserveAsync(inAstana, astana, "men", key: key, caseCode: code);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        foreach (var response in new[] { replay, elsewhere })
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(id.ToString(), body);
            Assert.DoesNotContain(code, body);
            await CrisisService.ProblemAsync(response);
        }

        Assert.Equal(1, (await crisis.AvailabilityAsync(almaty, "men"))["reserved"]!.GetValue<int>());
        Assert.Equal(0, (await crisis.AvailabilityAsync(astana, "men"))["reserved"]!.GetValue<int>());
        using var again = await CrisisService.ReserveAsync(inAlmaty, almaty, "men", key: key, caseCode: code);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, await CrisisService.IdOfAsync(again));
    }

    [Fact]
    public async Task ReplayingAnAdmissionKeyWithAnotherRegionsTokenNeverReturnsThePlacement()
    {
        var almaty = await crisis.CreateFacilityAsync("KZ-75", 43.38, 76.88, [("women_with_children", 4, 0)]);
        var (key, code) = (Guid.NewGuid().ToString(), CrisisService.NewCaseCode());
        using var inAlmaty = crisis.Client(["crisis.placement"], "KZ-75", user: "travelling-admitter");
        using var inAstana = crisis.Client(["crisis.placement"], "KZ-71", user: "travelling-admitter");

        using var first = await CrisisService.AdmitAsync(inAlmaty, almaty, "women_with_children", [5], key, code);
        var id = await CrisisService.IdOfAsync(first);
        using var replay = await CrisisService.AdmitAsync(inAstana, almaty, "women_with_children", [5], key, code);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        var body = await replay.Content.ReadAsStringAsync();
        Assert.DoesNotContain(id.ToString(), body);
        Assert.DoesNotContain(code, body);
        await CrisisService.ProblemAsync(replay);
        Assert.Equal(2, (await crisis.AvailabilityAsync(almaty, "women_with_children"))["occupied"]!.GetValue<int>());
    }
}
