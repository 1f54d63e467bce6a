using System.Net;
using System.Text;

namespace PublicSafety.Feedback.Tests;

[Collection(FeedbackCollection.Name)]
public sealed class BadInputTests(FeedbackService feedback)
{
    private const string Id = "0196a000-0000-7000-8000-000000000000";
    private const string Token = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    private const string GoodInteraction = """
        {"reference":"CARD-1","kind":"call_102","region":"KZ-75","unit":"U","channel":"phone","occurredAt":"2026-01-01T10:00:00Z","surveyConsent":true}
        """;

    private const string Manage = "feedback.manage";
    private const string Read = "feedback.read";

    public static TheoryData<string, string, string?, string?> Cases => new()
    {
        // method, path, body, role (null: anonymous)
        { "POST", "/api/feedback/interactions", "", Manage },
        { "POST", "/api/feedback/interactions", "{", Manage },
        { "POST", "/api/feedback/interactions", "[]", Manage },
        { "POST", "/api/feedback/interactions", "{}", Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("KZ-75", "KZ-99"), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("call_102", "party"), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("CARD-1", "+77011234567"), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("CARD-1", "900101300123"), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("2026-01-01T10:00:00Z", "2099-01-01T10:00:00Z"), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("2026-01-01T10:00:00Z", "yesterday"), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("\"surveyConsent\":true", "\"surveyConsent\":true,\"safeChannel\":\"+77011234567\""), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace(",\"surveyConsent\":true", ""), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("\"U\"", "\"" + new string('u', 201) + "\""), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("\"U\"", "\"officer, call 87011234567\""), Manage },
        { "GET", "/api/feedback/interactions/not-a-guid", null, Read },
        { "POST", "/api/feedback/public/surveys/responses", "", null },
        { "POST", "/api/feedback/public/surveys/responses", "{}", null },
        { "POST", "/api/feedback/public/surveys/responses", "{\"token\":\"short\",\"overall\":5}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":6}}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":5,\"respect\":0}}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":\"five\"}}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":99999999999}}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":5,\"comment\":\"{new string('x', 2001)}\"}}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":5,\"comment\":\"bell\\u0007\"}}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":5,\"comment\":\"flip\\u202Etxt\"}}", null },
        { "POST", "/api/feedback/public/surveys/describe", "{\"token\":null}", null },
        { "POST", "/api/feedback/public/feedback", "{\"overall\":5}", null },
        { "POST", "/api/feedback/public/feedback", "{\"region\":\"KZ-75\",\"overall\":5,\"channel\":\"pigeon\"}", null },
        { "POST", "/api/feedback/public/complaints", "{}", null },
        { "POST", "/api/feedback/public/complaints", "{\"region\":\"KZ-75\",\"unit\":\"u\",\"category\":\"bribery\",\"description\":\"d\"}", null },
        { "POST", "/api/feedback/public/complaints", "{\"region\":\"KZ-75\",\"unit\":\"u\",\"category\":\"rudeness\",\"description\":\"  \"}", null },
        { "GET", "/api/feedback/public/complaints/not-a-code", null, null },
        { "GET", "/api/feedback/public/complaints/FB-0000-0000-0000-0000", null, null },
        { "GET", "/api/feedback/public/venues?period=2025-H3", null, null },
        { "GET", "/api/feedback/public/venues?region=KZ-00", null, null },
        { "GET", "/api/feedback/public/open311/v2/services/parking.json", null, null },
        { "POST", "/api/feedback/public/open311/v2/requests.json", "{\"service_code\":\"police-conduct\"}", null },
        { "FORM", "/api/feedback/public/open311/v2/requests.json", "service_code=potholes", null },
        { "FORM", "/api/feedback/public/open311/v2/requests.json", "service_code=police-conduct&description=x&attribute%5Bregion%5D=KZ-75", null },
        { "FORM", "/api/feedback/public/open311/v2/requests.json", "service_code=police-conduct&description=x&attribute%5Bregion%5D=KZ-75&attribute%5Bunit%5D=u&attribute%5Bcategory%5D=rudeness&attribute%5Bincident_datetime%5D=soon", null },
        { "GET", "/api/feedback/public/open311/v2/requests/FB-ZZZZ.json", null, null },
        { "GET", "/api/feedback/indicators?region=KZ-00", null, Read },
        { "GET", "/api/feedback/indicators?period=2026-Q5", null, Read },
        { "GET", "/api/feedback/indicators?period=2026-13", null, Read },
        { "GET", "/api/feedback/indicators?period=2026&from=2026-01-01", null, Read },
        { "GET", "/api/feedback/indicators?from=2026-02-01&to=2026-01-01", null, Read },
        { "GET", "/api/feedback/indicators?from=yesterday&to=today", null, Read },
        { "GET", "/api/feedback/indicators?groupBy=officer", null, Read },
        { "GET", "/api/feedback/indicators?channel=pigeon", null, Read },
        { "GET", "/api/feedback/comments?limit=0", null, Read },
        { "GET", "/api/feedback/comments?limit=abc", null, Read },
        { "GET", "/api/feedback/comments?before=never", null, Read },
        { "GET", "/api/feedback/alerts?region=KZ-00", null, Read },
        { "POST", "/api/feedback/complaints", "{\"region\":\"KZ-75\",\"unit\":\"u\",\"category\":\"rudeness\",\"description\":\"d\"}", Manage },
        { "GET", "/api/feedback/complaints?status=lost", null, Manage },
        { "GET", "/api/feedback/complaints?limit=1000", null, Manage },
        { "GET", "/api/feedback/complaints?overdue=maybe", null, Manage },
        { "GET", $"/api/feedback/complaints/{Id}", null, Manage },
        { "POST", $"/api/feedback/complaints/{Id}/steps", "{}", Manage },
        { "POST", $"/api/feedback/complaints/{Id}/steps", "{\"action\":\"close\",\"reason\":\"r\"}", Manage },
        { "POST", $"/api/feedback/complaints/{Id}/steps", "{\"action\":\"resolve\",\"reason\":\"r\"}", Manage },
        { "POST", $"/api/feedback/complaints/{Id}/steps", "{\"action\":\"assign\",\"reason\":\"r\"}", Manage },
        { "POST", $"/api/feedback/complaints/{Id}/steps", "{\"action\":\"forward\"}", Manage },
        { "POST", $"/api/feedback/complaints/{Id}/steps", "{\"action\":\"forward\",\"reason\":\"r\"}", Manage },
        { "POST", "/api/feedback/venues", "{}", Manage },
        { "POST", "/api/feedback/venues", "{\"name\":\"n\",\"kind\":\"bar\",\"region\":\"KZ-75\",\"settlement\":\"s\",\"address\":\"a\",\"latitude\":10,\"longitude\":76}", Manage },
        { "POST", "/api/feedback/venues", "{\"name\":\"n\",\"kind\":\"bar\",\"region\":\"KZ-75\",\"settlement\":\"s\",\"address\":\"a\",\"latitude\":43}", Manage },
        { "POST", $"/api/feedback/venues/{Id}/signals", "{\"callReference\":\"C-1\",\"signalType\":\"violence\",\"receivedAt\":\"2026-01-01T00:00:00Z\"}", Manage },
        { "POST", $"/api/feedback/venues/{Id}/signals", "{\"callReference\":\"C-1\",\"signalType\":\"gossip\",\"receivedAt\":\"2026-01-01T00:00:00Z\"}", Manage },
        { "GET", "/api/feedback/venues/ratings/2025", null, Read },
        { "POST", "/api/feedback/venues/ratings/last/publish", null, Manage },

        // Times that exist in the caller's offset but not in UTC (or not at all).
        { "GET", "/api/feedback/indicators?from=0001-01-01&to=0001-01-02", null, Read },
        { "GET", "/api/feedback/comments?from=0001-01-01&to=0001-01-02", null, Read },
        { "GET", "/api/feedback/comments?before=0001-01-01T00:00:00%2B05:00", null, Read },
        { "GET", "/api/feedback/complaints?before=0001-01-01T00:00:00%2B05:00", null, Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("2026-01-01T10:00:00Z", "0001-01-01T00:00:00+05:00"), Manage },
        { "FORM", "/api/feedback/public/open311/v2/requests.json", "service_code=police-conduct&description=x&attribute%5Bregion%5D=KZ-75&attribute%5Bunit%5D=u&attribute%5Bcategory%5D=rudeness&attribute%5Bincident_datetime%5D=0001-01-01T00:00:00%2B05:00", null },
        { "FORM", "/api/feedback/public/open311/v2/requests.json", "service_code=police-conduct&description=x&attribute%5Bregion%5D=KZ-75&attribute%5Bunit%5D=u&attribute%5Bcategory%5D=rudeness&attribute%5Bincident_datetime%5D=0001-01-01T00:00:00", null },

        // NUL and other control characters, and lone surrogates (not UTF-8), in every text field and query parameter.
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("\"U\"", "\"U\\u0000\""), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("\"U\"", "\"U\\uD800\""), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("CARD-1", "CARD-1\\u0000"), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("\"phone\"", "\"phone\\u0000\""), Manage },
        { "POST", "/api/feedback/public/surveys/describe", "{\"token\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\\u0000\"}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":5,\"comment\":\"nul\\u0000\"}}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":5,\"comment\":\"half \\uD800 a pair\"}}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":5,\"comment\":\"\\uDC00\"}}", null },
        { "POST", "/api/feedback/public/feedback", "{\"region\":\"KZ-75\",\"overall\":5,\"comment\":\"nul\\u0000\"}", null },
        { "POST", "/api/feedback/public/feedback", "{\"region\":\"KZ-75\",\"overall\":5,\"comment\":\"\\uD800\"}", null },
        { "POST", "/api/feedback/public/feedback", "{\"region\":\"KZ-75\",\"overall\":5,\"unit\":\"u\\u0000\"}", null },
        { "POST", "/api/feedback/public/feedback", "{\"region\":\"KZ-75\\u0000\",\"overall\":5}", null },
        { "POST", "/api/feedback/public/complaints", "{\"region\":\"KZ-75\",\"unit\":\"u\\u0000\",\"category\":\"rudeness\",\"description\":\"d\"}", null },
        { "POST", "/api/feedback/public/complaints", "{\"region\":\"KZ-75\",\"unit\":\"u\",\"category\":\"rudeness\",\"description\":\"d\\u0000\"}", null },
        { "POST", "/api/feedback/public/complaints", "{\"region\":\"KZ-75\",\"unit\":\"u\",\"category\":\"rudeness\",\"description\":\"d\\uDBFF\"}", null },
        { "POST", "/api/feedback/public/complaints", "{\"region\":\"KZ-75\",\"unit\":\"\\uD800\",\"category\":\"rudeness\",\"description\":\"d\"}", null },
        { "POST", $"/api/feedback/complaints/{Id}/steps", "{\"action\":\"forward\",\"reason\":\"r\\u0000\"}", Manage },
        { "POST", $"/api/feedback/complaints/{Id}/steps", "{\"action\":\"forward\",\"reason\":\"r\\uD800\"}", Manage },
        { "POST", $"/api/feedback/complaints/{Id}/steps", "{\"action\":\"assign\",\"reason\":\"r\",\"assignee\":\"a\\u0000\"}", Manage },
        { "POST", "/api/feedback/venues", "{\"name\":\"n\\u0000\",\"kind\":\"bar\",\"region\":\"KZ-75\",\"settlement\":\"s\",\"address\":\"a\"}", Manage },
        { "POST", "/api/feedback/venues", "{\"name\":\"n\",\"kind\":\"bar\",\"region\":\"KZ-75\",\"settlement\":\"s\\uD800\",\"address\":\"a\"}", Manage },
        { "POST", "/api/feedback/venues", "{\"name\":\"n\",\"kind\":\"bar\",\"region\":\"KZ-75\",\"settlement\":\"s\",\"address\":\"a\\u001b[31m\"}", Manage },
        { "POST", $"/api/feedback/venues/{Id}/signals", "{\"callReference\":\"C-1\\u0000\",\"signalType\":\"violence\",\"receivedAt\":\"2026-01-01T00:00:00Z\"}", Manage },
        { "GET", "/api/feedback/indicators?unit=u%00", null, Read },
        { "GET", "/api/feedback/indicators?region=KZ-75%00", null, Read },
        { "GET", "/api/feedback/indicators?period=2026%00", null, Read },
        { "GET", "/api/feedback/comments?region=%00", null, Read },
        { "GET", "/api/feedback/complaints?status=%00", null, Manage },
        { "GET", "/api/feedback/public/complaints/FB-0000-0000-0000-000%00", null, null },
        { "GET", "/api/feedback/public/venues?period=2025-H2%00", null, null },
        { "GET", "/api/feedback/venues/ratings/2025-H2%00", null, Read },
        { "GET", "/api/feedback/public/open311/v2/requests/FB-0000-0000-0000-000%00.json", null, null },
        { "GET", "/api/feedback/public/open311/v2/services/police-conduct%00.json", null, null },
        { "FORM", "/api/feedback/public/open311/v2/requests.json", "service_code=police-conduct&description=x%00&attribute%5Bregion%5D=KZ-75&attribute%5Bunit%5D=u&attribute%5Bcategory%5D=rudeness", null },
        { "FORM", "/api/feedback/public/open311/v2/requests.json", "service_code=police-conduct&description=x&attribute%5Bregion%5D=KZ-75&attribute%5Bunit%5D=u%00&attribute%5Bcategory%5D=rudeness", null },
        { "FORM", "/api/feedback/public/open311/v2/requests.json", "service_code=police-conduct&description=x&attribute%5Bregion%5D=KZ-75&attribute%5Bunit%5D=u&attribute%5Bcategory%5D=rudeness&attribute%5Bincident_datetime%5D=%00", null },
        { "FORM", "/api/feedback/public/open311/v2/requests.json", "service_code=police-conduct%00", null },
        { "FORM", "/api/feedback/public/open311/v2/requests.json", "service_code=police-conduct&" + string.Join('&', Enumerable.Range(0, 1100).Select(i => $"f{i}=x")), null },

        // Numbers out of range, wrong JSON types, bodies that are not what they claim.
        { "GET", "/api/feedback/comments?limit=99999999999", null, Read },
        { "GET", "/api/feedback/comments?limit=-1", null, Read },
        { "GET", "/api/feedback/complaints?limit=-5", null, Manage },
        { "GET", "/api/feedback/complaints?limit=0", null, Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("\"surveyConsent\":true", "\"surveyConsent\":\"yes\""), Manage },
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("\"U\"", "42"), Manage },
        { "POST", "/api/feedback/interactions", "null", Manage },
        { "POST", "/api/feedback/interactions", new string('[', 5000) + new string(']', 5000), Manage },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":4.5}}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":true}}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":-2147483649}}", null },
        { "POST", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":5,\"comment\":[\"a\"]}}", null },
        { "POST", "/api/feedback/public/surveys/responses", "null", null },
        { "POST", "/api/feedback/public/feedback", "", null },
        { "POST", "/api/feedback/public/feedback", "{\"region\":\"KZ-75\",\"overall\":1e400}", null },
        { "POST", "/api/feedback/public/complaints", "{\"region\":\"KZ-75\",\"unit\":\"u\",\"category\":\"rudeness\",\"description\":\"" + new string('x', 4001) + "\"}", null },
        { "POST", "/api/feedback/public/complaints", "{\"region\":\"KZ-75\",\"unit\":\"u\",\"category\":\"rudeness\",\"description\":\"d\",\"incidentAt\":\"9999-12-31T23:59:59-05:00\"}", null },
        { "POST", "/api/feedback/venues", "{\"name\":\"n\",\"kind\":\"bar\",\"region\":\"KZ-75\",\"settlement\":\"s\",\"address\":\"a\",\"latitude\":\"NaN\",\"longitude\":\"Infinity\"}", Manage },
        { "POST", "/api/feedback/venues", "{\"name\":\"n\",\"kind\":\"bar\",\"region\":\"KZ-75\",\"settlement\":\"s\",\"address\":\"a\",\"latitude\":43,\"longitude\":1e309}", Manage },
        { "POST", "/api/feedback/venues", "{\"name\":\"n\",\"kind\":\"bar\",\"region\":\"KZ-75\",\"settlement\":\"s\",\"address\":\"" + new string('a', 201) + "\"}", Manage },
        { "POST", $"/api/feedback/venues/{Id}/signals", "{\"callReference\":\"C-1\",\"signalType\":\"violence\",\"receivedAt\":12345}", Manage },
        { "TEXT", "/api/feedback/interactions", GoodInteraction, Manage },
        { "TEXT", "/api/feedback/public/surveys/responses", $"{{\"token\":\"{Token}\",\"overall\":5}}", null },
        { "POST", "/api/feedback/complaints/not-a-guid/steps", "{\"action\":\"forward\",\"reason\":\"r\"}", Manage },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ABadInputIsA4xxProblemNeverA5xx(string method, string path, string? body, string? role)
    {
        using var client = role is null ? feedback.Anonymous() : feedback.Client([role], user: "bad-input");
        using var request = new HttpRequestMessage(method is "FORM" or "TEXT" ? HttpMethod.Post : new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, method switch { "FORM" => "application/x-www-form-urlencoded", "TEXT" => "text/plain", _ => "application/json" });
        }

        using var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{method} {path}: {status} {await response.Content.ReadAsStringAsync()}");
        // Kestrel itself refuses a path with an encoded NUL (400, no body) before the service sees it.
        if ((status != 404 || !path.Contains("not-a-guid", StringComparison.Ordinal)) && !path.Split('?')[0].Contains("%00", StringComparison.Ordinal))
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static readonly string Kz = "+05:00";

    /// <summary>Unusual but valid input: Kazakhstan's own offset (UTC+5), line breaks and tabs in texts. Accepted, never a 5xx.</summary>
    public static TheoryData<string, string, string?, string?> Unusual => new()
    {
        { "POST", "/api/feedback/interactions", GoodInteraction.Replace("CARD-1", "CARD-KZ-OFFSET").Replace("2026-01-01T10:00:00Z", $"2026-01-01T15:00:00{Kz}"), Manage },
        { "POST", "/api/feedback/public/complaints", $"{{\"region\":\"KZ-75\",\"unit\":\"u\",\"category\":\"rudeness\",\"description\":\"line 1\\n\\tline 2\",\"incidentAt\":\"2026-01-01T10:00:00{Kz}\"}}", null },
        { "POST", "/api/feedback/complaints", $"{{\"region\":\"KZ-75\",\"unit\":\"u\",\"category\":\"rudeness\",\"description\":\"d\",\"incidentAt\":\"2026-01-01T10:00:00{Kz}\"}}", Manage },
        { "POST", "/api/feedback/public/feedback", "{\"region\":\"kz-75\",\"overall\":\"4\",\"comment\":\"ok\\r\\nthanks\"}", null },
        { "POST", "/api/feedback/venues", "{\"name\":\"n\",\"kind\":\"bar\",\"region\":\"KZ-75\",\"settlement\":\"s\",\"address\":\"a\",\"latitude\":43.25,\"longitude\":76.95}", Manage },
        { "FORM", "/api/feedback/public/open311/v2/requests.json", "service_code=police-conduct&description=x&attribute%5Bregion%5D=KZ-75&attribute%5Bunit%5D=u&attribute%5Bcategory%5D=rudeness&attribute%5Bincident_datetime%5D=2026-01-01T10:00:00%2B05:00", null },
        { "GET", "/api/feedback/comments?before=2026-01-01T10:00:00%2B05:00", null, Read },
        { "GET", "/api/feedback/complaints?before=2026-01-01T10:00:00%2B05:00", null, Manage },
        { "GET", "/api/feedback/indicators?from=2026-01-01&to=2026-02-01&groupBy=week", null, Read },
        { "GET", "/api/feedback/indicators?from=2024-01-01&to=2026-12-31&groupBy=month", null, Read },
        // Bytes that are not UTF-8 in a query or a form decode to U+FFFD: ordinary text.
        { "GET", "/api/feedback/indicators?unit=%ED%A0%80", null, Read },
        { "FORM", "/api/feedback/public/open311/v2/requests.json", "service_code=police-conduct&description=x%ED%A0%80&attribute%5Bregion%5D=KZ-75&attribute%5Bunit%5D=u&attribute%5Bcategory%5D=rudeness", null },
    };

    [Theory]
    [MemberData(nameof(Unusual))]
    public async Task UnusualButValidInputIsAccepted(string method, string path, string? body, string? role)
    {
        using var client = role is null ? feedback.Anonymous() : feedback.Client([role], user: "unusual-input");
        using var request = new HttpRequestMessage(method == "FORM" ? HttpMethod.Post : new HttpMethod(method), path);
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, method == "FORM" ? "application/x-www-form-urlencoded" : "application/json");
        }

        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    [Theory]
    [InlineData("/api/feedback/complaints", "{\"region\":\"KZ-75\",\"unit\":\"u\",\"category\":\"rudeness\",\"description\":\"d\"}")]
    [InlineData("/api/feedback/venues", "{\"name\":\"n\",\"kind\":\"bar\",\"region\":\"KZ-75\",\"settlement\":\"s\",\"address\":\"a\"}")]
    public async Task AnIdempotencyKeyWithAControlCharacterIsRefused(string path, string body)
    {
        using var client = feedback.Client([Manage], user: "bad-input");
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", "key\u0001\u001b");

        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Idempotency-Key", text);
    }

    [Fact]
    public async Task ASignalReceivedInKazakhstanTimeIsRecordedInUtc()
    {
        using var client = feedback.Client([Manage], user: "unusual-input");
        using var venue = new HttpRequestMessage(HttpMethod.Post, "/api/feedback/venues")
        {
            Content = new StringContent("{\"name\":\"Synthetic bar\",\"kind\":\"bar\",\"region\":\"KZ-75\",\"settlement\":\"Almaty\",\"address\":\"a\"}", Encoding.UTF8, "application/json"),
        };
        venue.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        using var created = await client.SendAsync(venue);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<Guid>();

        using var signal = await client.PostAsync($"/api/feedback/venues/{id}/signals", new StringContent(
            $"{{\"callReference\":\"{FeedbackService.NewReference()}\",\"signalType\":\"violence\",\"receivedAt\":\"2026-01-01T05:00:00{Kz}\"}}", Encoding.UTF8, "application/json"));
        var text = await signal.Content.ReadAsStringAsync();
        Assert.True(signal.StatusCode == HttpStatusCode.Created, text);
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            System.Text.Json.Nodes.JsonNode.Parse(text)!["receivedAt"]!.GetValue<DateTimeOffset>());
    }
}
