using System.Globalization;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>
/// The polygon rules shared by REST (<c>POST /api/cameras/search/within</c>) and gRPC (<c>FindCamerasInPolygon</c>), so that both
/// refuse the same rings with the same words: one ring of at most <see cref="MaxPositions"/> WGS 84 positions, closed here if
/// the caller did not close it, each edge spanning less than 180° of longitude between positions that are not antipodal.
/// Whether the ring crosses itself or encloses no area is PostGIS's call (<see cref="SpatialQueries.IsValidPolygonAsync"/>),
/// made after this shape check.
/// </summary>
public static class PolygonRing
{
    public const int MaxPositions = 1000;

    public const string Required = "ring is required: at least 3 distinct positions.";

    public const string NotAPolygon = "ring is not a valid polygon (it must not cross itself and must enclose an area).";

    public const string EdgeTooLong = "ring: every edge must span less than 180 degrees of longitude and join positions that are not antipodal.";

    /// <summary>The ring as WKT, or null with the reason in <paramref name="error"/>.</summary>
    public static string? ToWkt(IReadOnlyList<(double Longitude, double Latitude)>? ring, out string? error)
    {
        error = null;
        if (ring is null || ring.Count == 0)
        {
            error = Required;
            return null;
        }

        if (ring.Count > MaxPositions)
        {
            error = $"ring may have at most {MaxPositions} positions.";
            return null;
        }

        if (ring.Any(p => !double.IsFinite(p.Longitude) || !double.IsFinite(p.Latitude) || p.Longitude is < -180 or > 180 || p.Latitude is < -90 or > 90))
        {
            error = "ring: every position must have a longitude within -180..180 and a latitude within -90..90.";
            return null;
        }

        var positions = ring.ToList();
        if (positions[0] != positions[^1])
        {
            positions.Add(positions[0]);
        }

        if (positions.Count < 4)
        {
            error = Required;
            return null;
        }

        if (positions.Zip(positions.Skip(1)).Any(edge => !IsDrawable(edge.First, edge.Second)))
        {
            error = EdgeTooLong;
            return null;
        }

        return "POLYGON((" + string.Join(",", positions.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Longitude:R} {p.Latitude:R}"))) + "))";
    }

    /// <summary>
    /// The search reads edges as geodesics (geography) after a planar validity check. Across 180° of longitude or more the two go
    /// opposite ways round the globe; between antipodal positions, or ones within rounding of it, there is no single geodesic and
    /// PostGIS fails the query.
    /// </summary>
    private static bool IsDrawable((double Longitude, double Latitude) a, (double Longitude, double Latitude) b)
    {
        if (Math.Abs(a.Longitude - b.Longitude) >= 180)
        {
            return false;
        }

        var (lat1, lat2, dLon) = (double.DegreesToRadians(a.Latitude), double.DegreesToRadians(b.Latitude), double.DegreesToRadians(a.Longitude - b.Longitude));
        var cosAngle = Math.Sin(lat1) * Math.Sin(lat2) + Math.Cos(lat1) * Math.Cos(lat2) * Math.Cos(dLon);
        return cosAngle > -1 + 1e-9; // within about 0.003° of antipodal is too close
    }
}
