using System.Net;
using System.Text;

namespace PublicSafety.CrisisCapacity.Tests;

[Collection(CrisisCollection.Name)]
public sealed class BadInputTests(CrisisService crisis)
{
    private const string GoodFacility = """
        {"kind":"crisis_centre_ngo","name":"N","region":"KZ-75","settlement":"Almaty","latitude":43.2,"longitude":76.9,
         "confidentialAddress":"a","services":{"psychologist":true,"lawyer":false,"medicalCare":false,"acceptsChildren":true,"accessible":true},
         "openAtNight":true,"beds":[{"category":"women","total":3,"outOfService":0}]}
        """;

    public static TheoryData<string, string, string?, string> Cases => new()
    {
        // method, path, body, role
        { "POST", "/api/crisis/facilities", "", "crisis.manage" },
        { "POST", "/api/crisis/facilities", "{", "crisis.manage" },
        { "POST", "/api/crisis/facilities", "[]", "crisis.manage" },
        { "POST", "/api/crisis/facilities", "{}", "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("KZ-75", "KZ-99"), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("crisis_centre_ngo", "hotel"), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("43.2", "\"north\""), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("43.2", "91"), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("\"total\":3", "\"total\":-1"), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("\"outOfService\":0", "\"outOfService\":9"), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("\"women\"", "\"pets\""), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("\"total\":3", "\"total\":99999999999"), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("[{\"category\"", "[null,{\"category\""), "crisis.manage" },
        { "PUT", "/api/crisis/facilities/0196a000-0000-7000-8000-000000000000", "{\"name\":\"x\"}", "crisis.manage" },
        // Text PostgreSQL refuses (NUL: 22021), and control characters or lone surrogates, in every text field.
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("\"name\":\"N\"", "\"name\":\"N\\u0000\""), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("\"Almaty\"", "\"Alm\\u0000aty\""), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("\"confidentialAddress\":\"a\"", "\"confidentialAddress\":\"a\\u0000\""), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("\"confidentialAddress\":\"a\"", "\"confidentialAddress\":\"a\",\"phone\":\"+7\\u0000\""), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("\"confidentialAddress\":\"a\"", "\"confidentialAddress\":\"a\",\"email\":\"x@y\\u0000\""), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("\"name\":\"N\"", "\"name\":\"N\\ud800\""), "crisis.manage" },
        { "POST", "/api/crisis/facilities", GoodFacility.Replace("\"name\":\"N\"", "\"name\":\"N\\u001b[2J\""), "crisis.manage" },
        { "PUT", "/api/crisis/facilities/0196a000-0000-7000-8000-000000000000", GoodFacility.Replace("\"name\":\"N\"", "\"name\":\"N\\u0000\""), "crisis.manage" },
        { "GET", "/api/crisis/availability", null, "crisis.read" },
        { "GET", "/api/crisis/availability?region=KZ-00", null, "crisis.read" },
        { "GET", "/api/crisis/availability?lat=abc&lon=1", null, "crisis.read" },
        { "GET", "/api/crisis/availability?lat=43", null, "crisis.read" },
        { "GET", "/api/crisis/availability?lat=95&lon=76", null, "crisis.read" },
        { "GET", "/api/crisis/availability?lat=NaN&lon=76", null, "crisis.read" },
        { "GET", "/api/crisis/availability?region=KZ-75&radiusKm=-5", null, "crisis.read" },
        { "GET", "/api/crisis/availability?region=KZ-75&category=attic", null, "crisis.read" },
        { "GET", "/api/crisis/availability?region=KZ-75&children=-1", null, "crisis.read" },
        { "GET", "/api/crisis/availability?region=KZ-75&limit=0", null, "crisis.read" },
        { "GET", "/api/crisis/availability?region=KZ-75&limit=99999999999", null, "crisis.read" },
        { "POST", "/api/crisis/reservations", "{}", "crisis.placement" },
        { "POST", "/api/crisis/reservations", "{\"facilityId\":\"not-a-guid\"}", "crisis.placement" },
        { "POST", "/api/crisis/reservations", "{\"facilityId\":\"0196a000-0000-7000-8000-000000000000\",\"category\":\"women\",\"caseCode\":\"Aigerim Bekova\"}", "crisis.placement" },
        { "POST", "/api/crisis/reservations", "{\"facilityId\":\"0196a000-0000-7000-8000-000000000000\",\"category\":\"women\",\"caseCode\":\"870412400123\"}", "crisis.placement" },
        { "POST", "/api/crisis/reservations", "{\"facilityId\":\"0196a000-0000-7000-8000-000000000000\",\"category\":\"women\",\"caseCode\":\"CC-2026-00A17F\",\"beds\":0}", "crisis.placement" },
        { "POST", "/api/crisis/reservations/0196a000-0000-7000-8000-000000000000/placement", "{\"childrenAges\":[-1]}", "crisis.placement" },
        { "POST", "/api/crisis/reservations/0196a000-0000-7000-8000-000000000000/placement", "{\"childrenAges\":\"two\"}", "crisis.placement" },
        { "POST", "/api/crisis/placements/0196a000-0000-7000-8000-000000000000/discharge", "{}", "crisis.placement" },
        { "POST", "/api/crisis/placements/0196a000-0000-7000-8000-000000000000/discharge", "{\"reason\":\"because\"}", "crisis.placement" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ABadInputIsA400ProblemNeverA5xx(string method, string path, string? body, string role)
    {
        using var client = crisis.Client([role], user: "bad-input");
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        if (path == "/api/crisis/reservations")
        {
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        }

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await CrisisService.ProblemAsync(response);
        Assert.Equal(400, problem["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task AReservationWithoutAnIdempotencyKeyIsA400Problem()
    {
        using var client = crisis.Client(["crisis.placement"]);
        using var response = await client.PostAsync("/api/crisis/reservations", new StringContent(
            "{\"facilityId\":\"0196a000-0000-7000-8000-000000000000\",\"category\":\"women\",\"caseCode\":\"CC-2026-00A17F\"}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await CrisisService.ProblemAsync(response))["errors"]!["Idempotency-Key"]);
    }
}
