using PublicSafety.CrisisCapacity.Apis;
using PublicSafety.CrisisCapacity.Grpc;
using PublicSafety.CrisisCapacity.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.ServiceDefaults.Grpc.Server;
using PublicSafety.ServiceDefaults.Hosting;
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
        builder.Services.Configure<CrisisOptions>(builder.Configuration.GetSection(CrisisOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<AvailabilityQueries>();
        builder.Services.AddSingleton<FacilityStore>();
        builder.Services.AddSingleton<BedLedger>();
        builder.Services.AddSingleton<DeficitQueries>();
        builder.Services.AddSingleton<EdxlHaveFeed>();
        builder.Services.AddSingleton<CrisisMetrics>();
        builder.Services.AddPeriodicJob<HoldSweeper>();
        builder.Services.AddHostedService<SyntheticSeeder>();
    }

    public static void MapCrisisCapacityApi(this IEndpointRouteBuilder app)
    {
        app.MapCallerEndpoint(RoutePrefix, RolePrefix);
        app.MapGrpcHealthAndReflection();
        app.MapFacilitiesApi();
        app.MapAvailabilityApi();
        app.MapReservationsApi();
        app.MapPlacementsApi();
        app.MapAnalyticsApi();
        app.MapFeedsApi();
        app.MapGrpcService<BedAvailabilityService>().RequireAuthorization(Roles.CrisisRead);
    }
}
