using PublicSafety.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// Infrastructure: PostgreSQL with PostGIS (one database per service), the broker, the identity provider.
var postgres = builder.AddPostgres("postgres")
    .WithImage("postgis/postgis")
    .WithImageTag("17-3.5")
    .WithDataVolume();

var feedbackDb = postgres.AddDatabase("feedbackdb");
var crisisDb = postgres.AddDatabase("crisisdb");
var camerasDb = postgres.AddDatabase("camerasdb");
var roadSafetyDb = postgres.AddDatabase("roadsafetydb");
var probationDb = postgres.AddDatabase("probationdb");

var messaging = builder.AddRabbitMQ("messaging")
    .WithManagementPlugin()
    .WithDataVolume();

// Port 8180 is the authority the services' Development settings and agencies' local scripts already use.
var keycloak = builder.AddKeycloak("keycloak", port: 8180)
    .WithDataVolume()
    .WithRealmImport("../keycloak");

// Services
var feedback = builder.AddPlatformProject<Projects.PublicSafety_Feedback>("feedback")
    .WithGrpcEndpoint()
    .WithReference(feedbackDb).WaitFor(feedbackDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithKeycloakAuthority(keycloak);

var crisisCapacity = builder.AddPlatformProject<Projects.PublicSafety_CrisisCapacity>("crisis-capacity")
    .WithGrpcEndpoint()
    .WithReference(crisisDb).WaitFor(crisisDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithKeycloakAuthority(keycloak);

var cameras = builder.AddPlatformProject<Projects.PublicSafety_Cameras>("cameras")
    .WithGrpcEndpoint()
    .WithReference(camerasDb).WaitFor(camerasDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithKeycloakAuthority(keycloak);

// RoadSafety and Probation ask Cameras for cameras near a site or a location.
var roadSafety = builder.AddPlatformProject<Projects.PublicSafety_RoadSafety>("road-safety")
    .WithGrpcEndpoint()
    .WithReference(roadSafetyDb).WaitFor(roadSafetyDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithKeycloakAuthority(keycloak)
    .WithServiceAccount(keycloak)
    .WithReference(cameras).WaitFor(cameras);

var probation = builder.AddPlatformProject<Projects.PublicSafety_Probation>("probation")
    .WithGrpcEndpoint()
    .WithReference(probationDb).WaitFor(probationDb)
    .WithReference(messaging).WaitFor(messaging)
    .WithKeycloakAuthority(keycloak)
    .WithServiceAccount(keycloak)
    .WithReference(cameras).WaitFor(cameras);

// Gateway: the only endpoint meant for callers outside the system.
builder.AddPlatformProject<Projects.PublicSafety_Gateway>("gateway", port: 8080)
    .WithExternalHttpEndpoints()
    .WithKeycloakAuthority(keycloak)
    .WithReference(feedback).WaitFor(feedback)
    .WithReference(crisisCapacity).WaitFor(crisisCapacity)
    .WithReference(cameras).WaitFor(cameras)
    .WithReference(roadSafety).WaitFor(roadSafety)
    .WithReference(probation).WaitFor(probation);

builder.Build().Run();
