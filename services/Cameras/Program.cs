using PublicSafety.Cameras.Extensions;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.ServiceDefaults;

// `seed`: load the synthetic national dataset and exit (Infrastructure/SeedCommand.cs).
if (args is [SeedCommand.Verb, .. var seedArgs])
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
