using PublicSafety.RoadSafety.Extensions;
using PublicSafety.RoadSafety.Infrastructure;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Data;

// `seed`: load the synthetic dataset and exit (Infrastructure/SeedCommand.cs).
if (args is [SyntheticSeedCommand.Verb, .. var seedArgs])
{
    return await SeedCommand.RunAsync(seedArgs);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRoadSafetyApi();
app.Run();
return 0;
