using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.ServiceDefaults.Grpc.Server;
using PublicSafety.ServiceDefaults.Messaging;

namespace PublicSafety.CrisisCapacity.Extensions;

public static class Extensions
{
    public const string DatabaseName = "crisisdb";
    public const string RoutePrefix = "/api/crisis";
    public const string RolePrefix = "crisis";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        builder.AddMessaging();
        builder.AddGrpcServer();
    }

    public static void MapCrisisCapacityApi(this IEndpointRouteBuilder app)
    {
        app.MapCallerEndpoint(RoutePrefix, RolePrefix);
        app.MapGrpcHealthService();
    }
}
