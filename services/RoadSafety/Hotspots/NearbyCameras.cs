using Grpc.Core;
using Microsoft.Extensions.Options;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.RoadSafety.Extensions;

namespace PublicSafety.RoadSafety.Hotspots;

/// <summary>
/// Cameras of the Cameras service near a site, over gRPC <c>FindCamerasNear</c>, for operators. The list is an aid: when
/// Cameras does not answer within the deadline the site is still returned, marked "unavailable".
/// </summary>
public sealed partial class NearbyCameras(IServiceProvider services, IOptions<RoadSafetyOptions> options, ILogger<NearbyCameras> logger)
{
    private const int Parallel = 4;

    public async Task<List<Hotspot>> AttachAsync(List<Hotspot> sites, string? region, CancellationToken ct)
    {
        CameraDirectory.CameraDirectoryClient client;
        try
        {
            client = services.GetRequiredService<CameraDirectory.CameraDirectoryClient>();
        }
        catch (InvalidOperationException ex)
        {
            // No address for the Cameras service configured: the same answer as an outage.
            LogUnavailable(ex.GetType().Name, ex.Message);
            return sites.Select(s => s with { Cameras = new HotspotCameras("unavailable", []) }).ToList();
        }

        // One deadline for the whole list: a hanging Cameras costs the caller at most CameraCallDeadline, not that per site.
        var deadline = DateTimeOffset.UtcNow + options.Value.CameraCallDeadline;
        using var gate = new SemaphoreSlim(Parallel);
        var tasks = sites.Select(async site =>
        {
            await gate.WaitAsync(ct);
            try
            {
                return site with { Cameras = await FindAsync(client, site, region, deadline, ct) };
            }
            finally
            {
                gate.Release();
            }
        });
        return [.. await Task.WhenAll(tasks)];
    }

    private async Task<HotspotCameras> FindAsync(CameraDirectory.CameraDirectoryClient client, Hotspot site, string? region, DateTimeOffset deadline, CancellationToken ct)
    {
        var request = new FindCamerasNearRequest
        {
            Latitude = site.Latitude, Longitude = site.Longitude, RadiusMeters = options.Value.CameraRadiusMeters, MaxResults = 20,
        };
        request.Statuses.Add(CameraStatus.Active);
        if (region is not null) request.Region = region;
        try
        {
            var response = await client.FindCamerasNearAsync(request, deadline: deadline.UtcDateTime, cancellationToken: ct);
            return new HotspotCameras("available", response.Cameras.Select(c => new NearbyCameraView(
                Guid.TryParse(c.Camera.Id, out var id) ? id : Guid.Empty, c.Camera.HasName ? c.Camera.Name : null,
                c.Camera.Kind.ToString().Replace("CameraKind", "", StringComparison.Ordinal).ToLowerInvariant(),
                c.Camera.Status.ToString().ToLowerInvariant(), Math.Round(c.DistanceMeters, 1))).ToList());
        }
        catch (Exception ex) when (ex is RpcException or HttpRequestException or InvalidOperationException or TimeoutException && !ct.IsCancellationRequested)
        {
            LogUnavailable(ex.GetType().Name, ex is RpcException g ? g.StatusCode.ToString() : ex.Message);
            return new HotspotCameras("unavailable", []);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Cameras service unavailable for nearby cameras: {Error} {Detail}")]
    private partial void LogUnavailable(string error, string detail);
}
