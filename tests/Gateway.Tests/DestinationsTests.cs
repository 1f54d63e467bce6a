using System.Net;
using System.Net.Http.Json;
using PublicSafety.Gateway.Tests.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.Testing;

namespace PublicSafety.Gateway.Tests;

[Collection(GatewayCollection.Name)]
public class DestinationsTests(GatewayFixture gateway)
{
    private sealed record Report(string Status, List<Destination> Destinations);

    private sealed record Destination(string Service, string Endpoint, string? Address, string Status, int? HttpStatus, double? LatencyMs);

    [Fact]
    public async Task TheDestinationsReportNeedsATokenAndThePlatformOperatorRole()
    {
        using var anonymous = gateway.CreateClient();
        using var reader = gateway.CreateClient(TestTokens.For(Roles.FeedbackRead, Roles.CamerasManage));

        using var unauthenticated = await anonymous.GetAsync("/gateway/destinations");
        using var forbidden = await reader.GetAsync("/gateway/destinations");

        await Problems.AssertProblemAsync(unauthenticated, HttpStatusCode.Unauthorized);
        await Problems.AssertProblemAsync(forbidden, HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task TheDestinationsReportShowsEachDestinationsReadinessAndAStoppedOneAsUnreachable()
    {
        using var client = gateway.CreateClient(TestTokens.Create(new() { Client = "operator-console", Roles = [Roles.PlatformOperator] }));

        var before = await client.GetFromJsonAsync<Report>("/gateway/destinations");
        await gateway.RoadSafety.StopAsync();
        using var response = await client.GetAsync("/gateway/destinations");
        var after = await response.Content.ReadFromJsonAsync<Report>();

        Assert.Equal("Healthy", Find(before!, "road-safety", "http").Status);
        // A report: it answers 200 whatever it finds, and says what it found.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Degraded", after!.Status);
        Assert.Equal("Unreachable", Find(after, "road-safety", "http").Status);
        Assert.Equal("Unreachable", Find(after, "probation", "http").Status);
        var feedback = Find(after, "feedback", "http");
        Assert.Equal("Healthy", feedback.Status);
        Assert.Equal(200, feedback.HttpStatus);
        Assert.NotNull(feedback.LatencyMs);
        Assert.Equal("Healthy", Find(after, "cameras", "grpc").Status);
        Assert.Equal("NotConfigured", Find(after, "crisis-capacity", "http").Status);
    }

    private static Destination Find(Report report, string service, string endpoint) =>
        Assert.Single(report.Destinations, d => d.Service == service && d.Endpoint == endpoint);
}
