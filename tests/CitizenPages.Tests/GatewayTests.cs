using System.Net;
using System.Text.Json.Nodes;
using PublicSafety.Testing;

namespace PublicSafety.CitizenPages.Tests;

[Collection(CitizenCollection.Name)]
public sealed class GatewayTests(CitizenSite site)
{
    private const int AnonymousBurst = 4;

    [Fact]
    public async Task ThePagesAreAnAnonymousGatewayRouteWithAPageCspAndTheirFormPostsRunIntoThePerAddressLimit()
    {
        await using var gateway = await ServiceProcess.StartReadyAsync("Gateway", new Dictionary<string, string?>
        {
            ["services__feedback__http__0"] = site.Feedback.BaseAddress.ToString(),
            ["Gateway__RateLimits__Anonymous__Burst"] = AnonymousBurst.ToString(),
            ["Gateway__RateLimits__Anonymous__PermitsPerWindow"] = "1",
            ["Gateway__RateLimits__Anonymous__Window"] = "01:00:00",
        });
        using var citizen = gateway.CreateClient();

        // The route table lists the pages as the public API's kind of route: no token, limited per network and in anonymous writes a day.
        var landing = JsonNode.Parse(await citizen.GetStringAsync("/"))!;
        var route = Assert.Single(landing["routes"]!.AsArray(), r => r!["path"]!.GetValue<string>() == "/citizen/{**rest}")!;
        Assert.Equal(("page", "anonymous"), (route["kind"]!.GetValue<string>(), route["policy"]!.GetValue<string>()));
        Assert.StartsWith("per IPv4 address or IPv6 /64", route["rateLimit"]!.GetValue<string>(), StringComparison.Ordinal);

        using (var page = await citizen.GetAsync("/citizen/complaint"))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            var csp = string.Join(';', page.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
            Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
            Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
            Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        }

        // Form posts from one address (a script filing complaints) are refused past the burst, as the public JSON routes are.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < AnonymousBurst + 1 && limited is null; i++)
        {
            using var post = new HttpRequestMessage(HttpMethod.Post, "/citizen/complaint")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["region"] = "KZ-75" }),
            };
            post.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8"); // as a browser's form post asks
            var response = await citizen.SendAsync(post);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        Assert.NotNull(limited.Headers.RetryAfter);
        // The person sees a page in the three languages, not JSON, under the pages' CSP.
        Assert.Equal("text/html", limited.Content.Headers.ContentType?.MediaType);
        var refusal = await limited.Content.ReadAsStringAsync();
        Assert.Contains("<section lang=\"ru\"><h1>Слишком много запросов</h1>", refusal, StringComparison.Ordinal);
        Assert.Contains("<section lang=\"kk\">", refusal, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", string.Join(';', limited.Headers.GetValues("Content-Security-Policy")), StringComparison.Ordinal);
        limited.Dispose();

        // A script on the same route that asks for JSON still gets a problem.
        using var scripted = await citizen.PostAsync("/citizen/complaint", new FormUrlEncodedContent(new Dictionary<string, string> { ["region"] = "KZ-75" }));
        Assert.Equal(HttpStatusCode.TooManyRequests, scripted.StatusCode);
        Assert.Equal("application/problem+json", scripted.Content.Headers.ContentType?.MediaType);
    }
}
