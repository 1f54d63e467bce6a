using PublicSafety.AppHost;
using PublicSafety.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);
var settings = PlatformSettings.From(builder);

// Infrastructure: PostgreSQL with PostGIS (a database per service), the broker, the token issuer. Containers where a
// container runtime answers, host processes the AppHost starts and stops where none does (README: "Infrastructure").
var infrastructure = builder.AddPlatformInfrastructure(settings);
var identity = infrastructure.Identity;

// Services
var feedback = builder.AddPlatformService<Projects.PublicSafety_Feedback>("feedback", infrastructure, "feedbackdb");
var crisisCapacity = builder.AddPlatformService<Projects.PublicSafety_CrisisCapacity>("crisis-capacity", infrastructure, "crisisdb");
var cameras = builder.AddPlatformService<Projects.PublicSafety_Cameras>("cameras", infrastructure, "camerasdb");

// RoadSafety and Probation ask Cameras for cameras near a site or a location (gRPC).
var roadSafety = builder.AddPlatformService<Projects.PublicSafety_RoadSafety>("road-safety", infrastructure, "roadsafetydb")
    .WithServiceAccount(identity)
    .WithDependency(cameras);
var probation = builder.AddPlatformService<Projects.PublicSafety_Probation>("probation", infrastructure, "probationdb")
    .WithServiceAccount(identity)
    .WithDependency(cameras);

// Gateway: the only endpoint meant for callers outside the system.
builder.AddPlatformProject<Projects.PublicSafety_Gateway>("gateway", infrastructure, port: settings.GatewayPort)
    .WithGatewayGrpcEndpoint(settings.GatewayGrpcPort)
    .WithExternalHttpEndpoints()
    .WithDependency(feedback)
    .WithDependency(crisisCapacity)
    .WithDependency(cameras)
    .WithDependency(roadSafety)
    .WithDependency(probation);

builder.Build().Run();
