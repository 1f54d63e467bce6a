using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Gateway.Limits;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Gateway.Apis;

public sealed record DestinationsReport(string Status, DateTimeOffset CheckedAt, IReadOnlyList<DestinationReport> Destinations);

public static class DestinationsApi
{
    /// <summary>
    /// <c>GET /gateway/destinations</c> for operators: the readiness of every destination. It is a report, so it answers 200
    /// whatever it finds, with an overall status of Healthy or Degraded; the gateway's own readiness is <c>/health/ready</c>.
    /// </summary>
    public static RouteGroupBuilder MapDestinationsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/gateway")
            .RequireAuthorization(Roles.PlatformOperator)
            .RequireRateLimiting(RateLimiting.PerClient)
            .WithTags("Gateway");
        group.MapGet("/destinations", GetDestinations)
            .WithName("gateway-destinations")
            .WithSummary("Readiness of every service behind the gateway");
        return group;
    }

    private static async Task<Ok<DestinationsReport>> GetDestinations(DestinationProbe probe, CancellationToken cancellationToken)
    {
        var destinations = await probe.ProbeAllAsync(cancellationToken);
        // A service left out on purpose (no destination configured) does not degrade the gateway.
        var status = destinations.All(d => d.Status is DestinationStatus.Healthy or DestinationStatus.NotConfigured) ? "Healthy" : "Degraded";
        return TypedResults.Ok(new DestinationsReport(status, DateTimeOffset.UtcNow, destinations));
    }
}
