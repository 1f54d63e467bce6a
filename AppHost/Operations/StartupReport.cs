using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PublicSafety.AppHost.Operations;

/// <summary>
/// One line once every resource the dashboard shows is healthy, with the gateway's address: what <c>./build.sh up</c>
/// waits to see (and bench/apphost times), so nobody has to watch the dashboard to know the system is up.
/// </summary>
internal sealed class StartupReport(
    DistributedApplicationModel model, ResourceNotificationService notifications, ILogger<StartupReport> logger) : BackgroundService
{
    public const string Message = "The system is up";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        ResourceSnapshotFilter filter = new(model, notifications);
        IResource[] shown;
        try
        {
            shown = await filter.ShownAsync(stoppingToken);
            await Task.WhenAll(shown.Select(r => notifications.WaitForResourceHealthyAsync(r.Name, stoppingToken)));
        }
        catch (OperationCanceledException)
        {
            return;
        }

        var gateway = model.Resources.OfType<ProjectResource>().FirstOrDefault(r => r.Name == "gateway");
        var address = gateway is null ? "" : await gateway.GetEndpoint("http").GetValueAsync(stoppingToken);
        logger.LogInformation("{Message}: all {Count} resources healthy, {Seconds:0} s after the AppHost started. Gateway: {Gateway}",
            Message, shown.Length, SinceStart().TotalSeconds, address);
    }

    private static TimeSpan SinceStart()
    {
        using var process = Process.GetCurrentProcess();
        return DateTime.Now - process.StartTime;
    }
}

/// <summary>The resources the dashboard shows: not parameters, not the AppHost's hidden helpers (the projects' rebuilders).</summary>
internal sealed class ResourceSnapshotFilter(DistributedApplicationModel model, ResourceNotificationService notifications)
{
    /// <summary>Waits for every resource's first snapshot (published as the application starts), which says whether it is hidden.</summary>
    public async Task<IResource[]> ShownAsync(CancellationToken ct)
    {
        var candidates = model.Resources.Where(r => r is not ParameterResource).ToArray();
        var events = await Task.WhenAll(candidates.Select(r => notifications.WaitForResourceAsync(r.Name, _ => true, ct)));
        return candidates.Where((_, i) => !events[i].Snapshot.IsHidden).ToArray();
    }
}

internal static class StartupReportExtensions
{
    /// <summary>Started with the application: a hosted service would start only once every resource has.</summary>
    public static void AddStartupReport(this IDistributedApplicationBuilder builder) =>
        builder.Eventing.Subscribe<BeforeStartEvent>((e, ct) =>
        {
            var report = new StartupReport(e.Model, e.Services.GetRequiredService<ResourceNotificationService>(),
                e.Services.GetRequiredService<ILogger<StartupReport>>());
            _ = report.StartAsync(e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
            return Task.CompletedTask;
        });
}
