using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using PublicSafety.Gateway.Tests.Infrastructure;

namespace PublicSafety.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public partial class ApiReferenceTests(GatewayFixture gateway)
{
    [Fact]
    public async Task TheApiReferenceIsServedAnonymouslyAndLoadsNothingFromAnotherOrigin()
    {
        using var client = gateway.CreateClient();

        using var page = await client.GetAsync("/scalar/");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var assets = Attribute().Matches(html).Select(m => m.Groups[1].Value).ToArray();
        Assert.Contains("scalar.js", assets);
        foreach (var asset in assets)
        {
            var url = new Uri(page.RequestMessage!.RequestUri!, asset);
            Assert.Equal(gateway.Gateway.BaseAddress.Authority, url.Authority);
            using var loaded = await client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
        }

        // Scalar's own fonts, telemetry and agent would call its servers; the documents are this gateway's routes.
        var configuration = JsonDocument.Parse(Configuration().Match(html).Groups[1].Value).RootElement;
        Assert.False(configuration.GetProperty("withDefaultFonts").GetBoolean());
        Assert.False(configuration.GetProperty("telemetry").GetBoolean());
        Assert.True(configuration.GetProperty("agent").GetProperty("disabled").GetBoolean());
        Assert.False(configuration.TryGetProperty("proxyUrl", out _));
        var sources = configuration.GetProperty("sources").EnumerateArray().Select(s => s.GetProperty("url").GetString()).ToArray();
        Assert.Contains("openapi/feedback/v1.json", sources);
        Assert.DoesNotContain(sources, s => s!.Contains("://"));
    }

    [Fact]
    public async Task TheApiReferencePolicyAllowsThisOriginAndExactlyThePagesOwnInlineScript()
    {
        using var client = gateway.CreateClient();

        using var page = await client.GetAsync("/scalar/");
        var html = await page.Content.ReadAsStringAsync();

        var policy = page.Headers.GetValues("Content-Security-Policy").Single();
        var inline = Assert.Single(InlineScript().Matches(html)).Groups[1].Value;
        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)));
        Assert.Equal(
            $"default-src 'none'; script-src 'self' 'sha256-{hash}'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
            "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'", policy);
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());

        // Everything else keeps the strict policy of an API.
        using var landing = await client.GetAsync("/");
        Assert.Equal("default-src 'none'; frame-ancestors 'none'", landing.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task AServicesOpenApiDocumentDescribesTheBearerTokenOnTheOperationsThatNeedIt()
    {
        using var client = gateway.CreateClient();

        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/feedback/v1.json");

        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("http", scheme.GetProperty("type").GetString());
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => (Path: p.Name, Operation: o.Value)))
            .ToArray();
        var managed = operations.Where(o => o.Path.StartsWith("/api/feedback/complaints", StringComparison.Ordinal)).ToArray();
        var citizens = operations.Where(o => o.Path.StartsWith("/api/feedback/public", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(managed);
        Assert.NotEmpty(citizens);
        Assert.All(managed, o => Assert.Contains(o.Operation.GetProperty("security").EnumerateArray(), r => r.TryGetProperty("Bearer", out _)));
        Assert.All(citizens, o => Assert.False(o.Operation.TryGetProperty("security", out _)));
    }

    [GeneratedRegex("(?:src|href)=\"([^\"]+)\"")]
    private static partial Regex Attribute();

    [GeneratedRegex("<script type=\"module\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"^\s*(\{.*\}),\s*$", RegexOptions.Multiline)]
    private static partial Regex Configuration();
}
