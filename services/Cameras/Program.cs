using PublicSafety.Cameras.Extensions;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Data;

// `seed`: load the synthetic national dataset and exit (Infrastructure/SeedCommand.cs).
if (args is [SyntheticSeedCommand.Verb, .. var seedArgs])
{
    return await SeedCommand.RunAsync(seedArgs);
}

// `rekey`: re-encrypt every stream endpoint under the current key and exit (Infrastructure/RekeyCommand.cs).
if (args is [RekeyCommand.Verb, .. var rekeyArgs])
{
    return await RekeyCommand.RunAsync(rekeyArgs);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapCamerasApi();
app.Run();
return 0;
