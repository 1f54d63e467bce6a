using PublicSafety.RoadSafety.Extensions;
using PublicSafety.RoadSafety.Infrastructure;
using PublicSafety.ServiceDefaults;

// `seed`: load the synthetic dataset and exit (Infrastructure/SeedCommand.cs).
if (args is [SeedCommand.Verb, .. var seedArgs])
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
