using System.Net;
using System.Text.Json.Nodes;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.AppHost.Tests;

/// <summary>The gateway refuses before any service sees the request, with problem details.</summary>
[Collection(PlatformCollection.Name)]
public sealed class GatewayRefusalTests(PlatformFixture platform)
{
    [Fact]
    public async Task ACallWithoutATokenIsUnauthorized()
    {
        using var gateway = platform.Gateway();
        using var response = await gateway.GetAsync("/api/cameras");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ATokenWithoutARoleOfTheServiceIsForbidden()
    {
        using var gateway = platform.Gateway(TestTokens.Create(new TokenRequest { Roles = ["feedback.read"], Client = "apphost-test" }));
        using var response = await gateway.GetAsync("/api/cameras");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(403, problem["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task TheSameTokenWithTheRightRoleGetsThrough()
    {
        using var gateway = platform.Gateway(TestTokens.Create(new TokenRequest { Roles = ["cameras.read"], Client = "apphost-test" }));
        using var response = await gateway.GetAsync("/api/cameras");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
