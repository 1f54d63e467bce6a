using PublicSafety.AppHost;
using PublicSafety.AppHost.Infrastructure;
using PublicSafety.AppHost.Operations;

AppHostLaunchProfile.ApplyWhenStartedDirectly();
var builder = DistributedApplication.CreateBuilder(args);
var settings = PlatformSettings.From(builder);
builder.AddResourceLogFiles(settings);
builder.AddStartupReport();
builder.ReduceFootprint();

// Infrastructure: PostgreSQL with PostGIS (a database per service), the broker, the token issuer. Containers where a
// container runtime answers, host processes the AppHost starts and stops where none does (README: "Infrastructure").
var infrastructure = builder.AddPlatformInfrastructure(settings);
var identity = infrastructure.Identity;
infrastructure.Messaging.WithErrorQueueCommands();
foreach (var database in infrastructure.Databases.Values)
{
    database.WithOutboxCommand();
}

// Services
var feedback = builder.AddPlatformService<Projects.PublicSafety_Feedback>("feedback", infrastructure, "feedbackdb")
    .WithSeedCommand(infrastructure.Database("feedbackdb"), "Interactions, invitations, responses, complaints and venues (synthetic).",
        ("responses", "Survey responses", "20000"));
var crisisCapacity = builder.AddPlatformService<Projects.PublicSafety_CrisisCapacity>("crisis-capacity", infrastructure, "crisisdb")
    .WithSeedOnRestartCommand("Crisis__SeedSynthetic");
var cameras = builder.AddPlatformService<Projects.PublicSafety_Cameras>("cameras", infrastructure, "camerasdb")
    .WithSeedCommand(infrastructure.Database("camerasdb"), "The synthetic national camera inventory (the dataset's own densities).");

// RoadSafety and Probation ask Cameras for cameras near a site or a location (gRPC), as svc-road-safety and
// svc-probation, which hold cameras.read in the realm export.
var roadSafety = builder.AddPlatformService<Projects.PublicSafety_RoadSafety>("road-safety", infrastructure, "roadsafetydb")
    .WithSeedCommand(infrastructure.Database("roadsafetydb"), "Synthetic devices, verifications, fixations, sections and accident sites.")
    .WithServiceAccount(identity, "cameras.read")
    .WithDependency(cameras);
var probation = builder.AddPlatformService<Projects.PublicSafety_Probation>("probation", infrastructure, "probationdb")
    .WithServiceAccount(identity, "cameras.read")
    .WithDependency(cameras);

// Gateway: the only endpoint meant for callers outside the system.
var gateway = builder.AddPlatformProject<Projects.PublicSafety_Gateway>("gateway", infrastructure, port: settings.GatewayPort)
    .WithGatewayGrpcEndpoint(settings.GatewayGrpcPort)
    .WithOperatorCommands(identity)
    .WithExternalHttpEndpoints()
    .WithDependency(feedback)
    .WithDependency(crisisCapacity)
    .WithDependency(cameras)
    .WithDependency(roadSafety)
    .WithDependency(probation);

probation.WithSimulatorCommand(gateway, identity);

builder.Build().Run();
