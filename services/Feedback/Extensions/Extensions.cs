using PublicSafety.Feedback.Apis;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.IntegrationEvents;
using PublicSafety.Feedback.Model;
using PublicSafety.Feedback.Pages;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.ServiceDefaults.Grpc.Server;
using PublicSafety.ServiceDefaults.Hosting;
using PublicSafety.ServiceDefaults.Messaging;

namespace PublicSafety.Feedback.Extensions;

public static class Extensions
{
    public const string DatabaseName = "feedbackdb";
    public const string RoutePrefix = "/api/feedback";
    public const string RolePrefix = "feedback";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddServiceDatabase(DatabaseName, typeof(Extensions).Assembly);
        builder.AddMessaging(x =>
        {
            x.AddConsumer<PlacementEndedConsumer>();
            x.AddConsumer<ProbationCheckInRecordedConsumer>();
        });
        builder.AddGrpcServer();
        builder.Services.Configure<FeedbackOptions>(builder.Configuration.GetSection(FeedbackOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<FeedbackMetrics>();
        builder.Services.AddSingleton<SatisfactionTargets>();
        builder.Services.AddSingleton<SuppressionPolicy>();
        builder.Services.AddSingleton<InteractionStore>();
        builder.Services.AddSingleton<SurveyStore>();
        builder.Services.AddSingleton<IndicatorQueries>();
        builder.Services.AddSingleton<ComplaintStore>();
        builder.Services.AddSingleton<VenueStore>();
        builder.Services.AddSingleton<OverdueDetector>();
        builder.Services.AddSingleton<QualityAlertDetector>();
        builder.Services.AddPeriodicJob<OverdueSweeper>();
        builder.Services.AddPeriodicJob<QualityAlertSweeper>();
        builder.AddCitizenPages();
    }

    public static void MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        app.MapCallerEndpoint(RoutePrefix, RolePrefix);
        app.MapGrpcHealthAndReflection();
        app.MapInteractionsApi();
        app.MapPublicSurveyApi();
        app.MapIndicatorsApi();
        app.MapComplaintsApi();
        app.MapPublicComplaintsApi();
        app.MapVenuesApi();
        app.MapOpen311Api();
    }
}
