using Microsoft.Extensions.DependencyInjection.Extensions;
using PublicSafety.Cameras.Apis;
using PublicSafety.Cameras.Grpc;
using PublicSafety.Cameras.Health;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.ServiceDefaults.Grpc.Server;
using PublicSafety.ServiceDefaults.Hosting;
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
        builder.Services.TryAddSingleton(TimeProvider.System);
        // Built now, not on first use: a missing or malformed Cameras:StreamKey stops the service at start-up.
        builder.Services.AddSingleton(new StreamProtector(builder.Configuration));
        builder.Services.AddSingleton<CameraQueries>();
        builder.Services.AddSingleton<CameraStore>();
        builder.Services.AddSingleton<StreamReadAudit>();
        builder.Services.AddSingleton<SpatialQueries>();
        builder.Services.AddSingleton<CoverageQueries>();
        builder.Services.AddSingleton<SchoolStore>();
        builder.Services.AddSingleton<InstallationPlanStore>();
        builder.Services.AddSingleton<SyntheticSeeder>();
        builder.Services.Configure<HealthOptions>(builder.Configuration.GetSection(HealthOptions.Section));
        builder.Services.AddSingleton<CamerasMetrics>();
        builder.Services.AddSingleton<HeartbeatIngestion>();
        builder.Services.AddSingleton<OfflineDetector>();
        builder.Services.AddSingleton<UptimeQueries>();
        builder.Services.AddPeriodicJob<OfflineSweeper>();
        builder.Services.Configure<HealthLogRetentionOptions>(builder.Configuration.GetSection(HealthLogRetentionOptions.Section));
        builder.Services.AddPeriodicJob<HealthLogRetention>();
    }

    public static void MapCamerasApi(this IEndpointRouteBuilder app)
    {
        app.MapCallerEndpoint(RoutePrefix, RolePrefix);
        app.MapHeartbeatsApi();
        app.MapUptimeApi();
        app.MapCamerasRegistryApi();
        app.MapStreamApi();
        app.MapSpatialApi();
        app.MapTransferApi();
        app.MapCoverageApi();
        app.MapInstallationPlanApi();
        app.MapSchoolsApi();
        app.MapGrpcHealthAndReflection();
        app.MapGrpcService<CameraDirectoryService>().RequireAuthorization(Roles.CamerasRead);
    }
}
