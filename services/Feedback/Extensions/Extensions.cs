using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.ServiceDefaults.Grpc.Server;
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
        builder.AddMessaging();
        builder.AddGrpcServer();
    }

    public static void MapFeedbackApi(this IEndpointRouteBuilder app)
    {
        app.MapCallerEndpoint(RoutePrefix, RolePrefix);
        app.MapGrpcHealthService();
    }
}
