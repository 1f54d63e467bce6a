using Microsoft.Extensions.DependencyInjection.Extensions;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.Probation.Apis;
using PublicSafety.Probation.Background;
using PublicSafety.Probation.Evaluation;
using PublicSafety.Probation.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.ServiceDefaults.Grpc.Client;
using PublicSafety.ServiceDefaults.Grpc.Server;
using PublicSafety.ServiceDefaults.Hosting;
using PublicSafety.ServiceDefaults.Messaging;
using Microsoft.Extensions.Options;

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
        builder.AddGrpcServiceClient<CameraDirectory.CameraDirectoryClient>("cameras", CameraDirectory.Descriptor);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<EvaluationOptions>(builder.Configuration.GetSection(EvaluationOptions.Section));
        builder.Services.Configure<DetectionOptions>(builder.Configuration.GetSection(DetectionOptions.Section));
        builder.Services.Configure<AlertOptions>(builder.Configuration.GetSection(AlertOptions.Section));
        builder.Services.Configure<RetentionOptions>(builder.Configuration.GetSection(RetentionOptions.Section));
        builder.Services.AddSingleton(sp => new PersonEvaluator(sp.GetRequiredService<IOptions<EvaluationOptions>>().Value));
        builder.Services.AddSingleton<ProbationMetrics>();
        builder.Services.AddSingleton<CameraEnrichmentSignal>();
        builder.Services.AddSingleton<ViolationWriter>();
        builder.Services.AddSingleton<DeviceEventHandler>();
        builder.Services.AddSingleton<TelemetryIngestion>();
        builder.Services.AddSingleton<PersonStore>();
        builder.Services.AddSingleton<DeviceStore>();
        builder.Services.AddSingleton<AlertStore>();
        builder.Services.AddSingleton<LocationStore>();
        builder.Services.AddPeriodicJob<DeviceDetector>();
        builder.Services.AddPeriodicJob<CurfewSweeper>();
        builder.Services.AddPeriodicJob<Escalator>();
        builder.Services.AddPeriodicJob<CameraEnricher>();
        builder.Services.AddPeriodicJob<RetentionJob>();
    }

    public static void MapProbationApi(this IEndpointRouteBuilder app)
    {
        app.MapCallerEndpoint(RoutePrefix, RolePrefix);
        app.MapPersonsApi();
        app.MapRulesApi();
        app.MapLocationsApi();
        app.MapDevicesApi();
        app.MapTelemetryApi();
        app.MapAlertsApi();
        app.MapGrpcHealthAndReflection();
    }
}
