using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PublicSafety.Bench.LocationOracle;

/// <summary>A point as latitude and longitude in degrees.</summary>
public readonly record struct GeoPoint(double Lat, double Lon);

/// <summary>
/// The attack of issue 17 item 6: from three points around where the centre is thought to be, bisect the search radius
/// until the centre just appears (its distance from that point), then intersect the three circles. Only what a search
/// answers is used: whether the centre is in the result.
/// </summary>
public sealed class Attack(HttpClient client, Guid centre, string category)
{
    public int Searches { get; private set; }

    public int Refused { get; private set; }

    /// <summary>Spends <paramref name="budget"/> searches over the anchors, bisecting between the radii given (km).</summary>
    public async Task<GeoPoint> LocateAsync(IReadOnlyList<GeoPoint> anchors, int budget, double minKm, double maxKm)
    {
        var distances = new double[anchors.Count];
        for (var i = 0; i < anchors.Count; i++)
        {
            var steps = budget / anchors.Count + (i < budget % anchors.Count ? 1 : 0);
            var (low, high) = (minKm, maxKm);
            for (var s = 0; s < steps; s++)
            {
                var middle = (low + high) / 2;
                if (await FindsAsync(anchors[i], middle)) high = middle;
                else low = middle;
            }

            distances[i] = (low + high) / 2 * 1000;
        }

        return LocalPlane.Trilaterate(anchors, distances);
    }

    private async Task<bool> FindsAsync(GeoPoint from, double radiusKm)
    {
        Searches++;
        var url = string.Create(CultureInfo.InvariantCulture,
            $"/api/crisis/availability?lat={from.Lat:R}&lon={from.Lon:R}&radiusKm={radiusKm:R}&category={category}&limit=200");
        using var response = await client.GetAsync(url);
        if (!response.IsSuccessStatusCode)
        {
            Refused++;
            return false;
        }

        var rows = (await response.Content.ReadFromJsonAsync<JsonArray>())!;
        return rows.Any(r => r!["facilityId"]!.GetValue<Guid>() == centre);
    }
}

/// <summary>
/// Distances and positions over tens of km: WGS 84 metres per degree at the middle latitude of two points agree with
/// PostGIS's spheroid distances to well under a metre at this scale, far below the figures this bench reports.
/// </summary>
public static class LocalPlane
{
    public static double Distance(GeoPoint a, GeoPoint b)
    {
        var (perLat, perLon) = MetresPerDegree((a.Lat + b.Lat) / 2);
        var (x, y) = ((b.Lon - a.Lon) * perLon, (b.Lat - a.Lat) * perLat);
        return Math.Sqrt(x * x + y * y);
    }

    /// <summary>Moves <paramref name="metres"/> from a point along a bearing (degrees clockwise from north).</summary>
    public static GeoPoint Offset(GeoPoint from, double metres, double bearing)
    {
        var (perLat, perLon) = MetresPerDegree(from.Lat);
        return new GeoPoint(from.Lat + metres * Math.Cos(bearing * Math.PI / 180) / perLat, from.Lon + metres * Math.Sin(bearing * Math.PI / 180) / perLon);
    }

    /// <summary>
    /// The point at the given distances from the anchors, by least squares (Gauss-Newton from the anchors' middle; the
    /// derivatives are taken numerically, a metre apart).
    /// </summary>
    public static GeoPoint Trilaterate(IReadOnlyList<GeoPoint> anchors, IReadOnlyList<double> distances)
    {
        var p = new GeoPoint(anchors.Average(a => a.Lat), anchors.Average(a => a.Lon));
        for (var iteration = 0; iteration < 20; iteration++)
        {
            var (perLat, perLon) = MetresPerDegree(p.Lat);
            var (dLat, dLon) = (1 / perLat, 1 / perLon);
            double jxx = 0, jxy = 0, jyy = 0, gx = 0, gy = 0;
            for (var i = 0; i < anchors.Count; i++)
            {
                var residual = Distance(p, anchors[i]) - distances[i];
                var dx = Distance(p with { Lon = p.Lon + dLon }, anchors[i]) - distances[i] - residual;
                var dy = Distance(p with { Lat = p.Lat + dLat }, anchors[i]) - distances[i] - residual;
                (jxx, jxy, jyy, gx, gy) = (jxx + dx * dx, jxy + dx * dy, jyy + dy * dy, gx + dx * residual, gy + dy * residual);
            }

            var determinant = jxx * jyy - jxy * jxy;
            var (stepX, stepY) = ((jyy * gx - jxy * gy) / determinant, (jxx * gy - jxy * gx) / determinant);
            p = new GeoPoint(p.Lat - stepY * dLat, p.Lon - stepX * dLon);
            if (Math.Abs(stepX) + Math.Abs(stepY) < 0.01)
            {
                break;
            }
        }

        return p;
    }

    private static (double PerLat, double PerLon) MetresPerDegree(double latitude)
    {
        var phi = latitude * Math.PI / 180;
        return (111_132.92 - 559.82 * Math.Cos(2 * phi) + 1.175 * Math.Cos(4 * phi),
                111_412.84 * Math.Cos(phi) - 93.5 * Math.Cos(3 * phi));
    }
}
