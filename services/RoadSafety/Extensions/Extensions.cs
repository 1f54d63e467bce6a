using Microsoft.Extensions.DependencyInjection.Extensions;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.RoadSafety.Apis;
using PublicSafety.RoadSafety.Health;
using PublicSafety.RoadSafety.Hotspots;
using PublicSafety.RoadSafety.Indicators;
using PublicSafety.RoadSafety.Infrastructure;
using PublicSafety.RoadSafety.Ingestion;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.ServiceDefaults.Grpc.Client;
using PublicSafety.ServiceDefaults.Grpc.Server;
using PublicSafety.ServiceDefaults.Hosting;
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
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<RoadSafetyOptions>(builder.Configuration.GetSection(RoadSafetyOptions.Section));
        builder.Services.AddSingleton<RoadSafetyMetrics>();
        builder.Services.AddSingleton<DeviceStore>();
        builder.Services.AddSingleton<SectionStore>();
        builder.Services.AddSingleton<FixationQueries>();
        builder.Services.AddSingleton<SectionMatcher>();
        builder.Services.AddSingleton<FixationIngestion>();
        builder.Services.AddSingleton<AccidentStore>();
        builder.Services.AddSingleton<HotspotQueries>();
        builder.Services.AddSingleton<NearbyCameras>();
        builder.AddGrpcServiceClient<CameraDirectory.CameraDirectoryClient>("cameras", CameraDirectory.Descriptor);
        builder.Services.AddSingleton<IndicatorQueries>();
        builder.Services.AddSingleton<SilenceDetector>();
        builder.Services.AddPeriodicJob<SilenceSweeper>();
        SyntheticSeeder.RefuseInProduction(builder);
        builder.Services.AddSingleton<SyntheticLoader>();
        builder.Services.AddHostedService<SyntheticSeeder>();
        builder.Services.AddSingleton<PlateEraser>();
        builder.Services.AddPeriodicJob<PlateRetentionService>();
    }

    public static void MapRoadSafetyApi(this IEndpointRouteBuilder app)
    {
        app.MapCallerEndpoint(RoutePrefix, RolePrefix);
        app.MapDevicesApi();
        app.MapSectionsApi();
        app.MapFixationsApi();
        app.MapAccidentsApi();
        app.MapIndicatorsApi();
        app.MapGrpcHealthAndReflection();
    }
}
