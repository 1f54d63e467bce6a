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
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ABadInputIsA4xxProblemNeverA5xx(string method, string path, string? body, string? role)
    {
        using var client = role is null ? feedback.Anonymous() : feedback.Client([role], user: "bad-input");
        using var request = new HttpRequestMessage(method == "FORM" ? HttpMethod.Post : new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, method == "FORM" ? "application/x-www-form-urlencoded" : "application/json");
        }

        using var response = await client.SendAsync(request);
        var status = (int)response.StatusCode;
        Assert.True(status is >= 400 and < 500, $"{method} {path}: {status} {await response.Content.ReadAsStringAsync()}");
        if (status != 404 || !path.Contains("not-a-guid", StringComparison.Ordinal))
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}
