using PublicSafety.Feedback.Extensions;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Pages;
using PublicSafety.ServiceDefaults;

if (args is ["seed", ..])
{
    // A command, not the service: load the synthetic dataset and exit.
    var seeding = Host.CreateApplicationBuilder(args[1..]);
    using var host = seeding.Build();
    return await SyntheticSeed.RunAsync(args, host.Services.GetRequiredService<IConfiguration>(),
        host.Services.GetRequiredService<ILoggerFactory>(), CancellationToken.None);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapFeedbackApi();
app.MapCitizenPages();
app.Run();
return 0;
