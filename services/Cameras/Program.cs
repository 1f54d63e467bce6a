using PublicSafety.Cameras.Extensions;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Data;

// `seed`: load the synthetic national dataset and exit (Infrastructure/SeedCommand.cs).
if (args is [SyntheticSeedCommand.Verb, .. var seedArgs])
{
    return await SeedCommand.RunAsync(seedArgs);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCamerasApi();
app.Run();
return 0;
