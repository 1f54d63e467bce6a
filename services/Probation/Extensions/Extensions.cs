using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.ServiceDefaults.Grpc.Server;
using PublicSafety.ServiceDefaults.Messaging;

namespace PublicSafety.Probation.Extensions;

public static class Extensions
{
    public const string DatabaseName = "probationdb";
    public const string RoutePrefix = "/api/probation";
    public const string RolePrefix = "probation";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        builder.AddMessaging();
        builder.AddGrpcServer();
    }

    public static void MapProbationApi(this IEndpointRouteBuilder app)
    {
        app.MapCallerEndpoint(RoutePrefix, RolePrefix);
        app.MapGrpcHealthService();
    }
}
