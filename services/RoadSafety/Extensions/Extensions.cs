using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.ServiceDefaults.Grpc.Server;
using PublicSafety.ServiceDefaults.Messaging;

namespace PublicSafety.RoadSafety.Extensions;

public static class Extensions
{
    public const string DatabaseName = "roadsafetydb";
    public const string RoutePrefix = "/api/roadsafety";
    public const string RolePrefix = "roadsafety";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        builder.AddMessaging();
        builder.AddGrpcServer();
    }

    public static void MapRoadSafetyApi(this IEndpointRouteBuilder app)
    {
        app.MapCallerEndpoint(RoutePrefix, RolePrefix);
        app.MapGrpcHealthService();
    }
}
