using PublicSafety.Cameras.Grpc;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.ServiceDefaults.Grpc.Server;
using PublicSafety.ServiceDefaults.Messaging;

namespace PublicSafety.Cameras.Extensions;

public static class Extensions
{
    public const string DatabaseName = "camerasdb";
    public const string RoutePrefix = "/api/cameras";
    public const string RolePrefix = "cameras";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        builder.AddMessaging();
        builder.AddGrpcServer();
        builder.Services.AddSingleton<CameraQueries>();
    }

    public static void MapCamerasApi(this IEndpointRouteBuilder app)
    {
        app.MapCallerEndpoint(RoutePrefix, RolePrefix);
        app.MapGrpcHealthService();
        app.MapCameraDirectoryGrpc();
    }
}
