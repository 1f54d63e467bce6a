namespace PublicSafety.Probation.Evaluation;

/// <summary>Distances on the WGS 84 sphere approximation; at zone scale (metres to kilometres) its error is far below GPS accuracy.</summary>
public static class Geo
{
    private const double EarthRadiusMeters = 6_371_008.8;

    public static double DistanceMeters(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = DegreesToRadians(lat2 - lat1);
        var dLon = DegreesToRadians(lon2 - lon1);
        var a = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(DegreesToRadians(lat1)) * Math.Cos(DegreesToRadians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(a)));
    }

    /// <summary>The point <paramref name="meters"/> from a point along a bearing (degrees from north); used by tests and the simulator.</summary>
    public static (double Latitude, double Longitude) Offset(double lat, double lon, double meters, double bearingDegrees)
    {
        var d = meters / EarthRadiusMeters;
        var b = DegreesToRadians(bearingDegrees);
        var lat1 = DegreesToRadians(lat);
        var lon1 = DegreesToRadians(lon);
        var lat2 = Math.Asin(Math.Sin(lat1) * Math.Cos(d) + Math.Cos(lat1) * Math.Sin(d) * Math.Cos(b));
        var lon2 = lon1 + Math.Atan2(Math.Sin(b) * Math.Sin(d) * Math.Cos(lat1), Math.Cos(d) - Math.Sin(lat1) * Math.Sin(lat2));
        return (lat2 * 180 / Math.PI, lon2 * 180 / Math.PI);
    }

    private static double DegreesToRadians(double degrees) => degrees * Math.PI / 180;
}
