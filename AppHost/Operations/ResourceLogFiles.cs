using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PublicSafety.AppHost.Operations;

/// <summary>
/// Every resource's console output, as the dashboard shows it, also appended to <c>&lt;LogDirectory&gt;/&lt;resource&gt;.log</c>
/// (default <c>.local/logs</c>): for grep and tail, for a run whose dashboard is gone, and for the tests' failures.
/// </summary>
internal sealed class ResourceLogFiles(
    DistributedApplicationModel model, ResourceLoggerService loggers, ResourceNotificationService notifications, string directory) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Directory.CreateDirectory(directory);
        try
        {
            var shown = await new ResourceSnapshotFilter(model, notifications).ShownAsync(stoppingToken);
            await Task.WhenAll(shown.Select(r => CopyAsync(r, stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task CopyAsync(IResource resource, CancellationToken stoppingToken)
    {
        try
        {
            await using var file = new StreamWriter(Path.Combine(directory, $"{resource.Name}.log"), append: true) { AutoFlush = true };
            await foreach (var batch in loggers.WatchAsync(resource).WithCancellation(stoppingToken))
            {
                foreach (var line in batch)
                {
                    await file.WriteLineAsync(line.Content);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}

internal static class ResourceLogFilesExtensions
{
    public static void AddResourceLogFiles(this IDistributedApplicationBuilder builder, Infrastructure.PlatformSettings settings)
    {
        var directory = settings.LogDirectory ?? Path.Combine(Infrastructure.Checkout.Root(builder), ".local", "logs");
        // Started with the application rather than as a hosted service, which would start only once every resource has.
        builder.Eventing.Subscribe<BeforeStartEvent>((e, ct) =>
        {
            var copier = new ResourceLogFiles(e.Model, e.Services.GetRequiredService<ResourceLoggerService>(),
                e.Services.GetRequiredService<ResourceNotificationService>(), directory);
            var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = copier.StartAsync(stopping);
            return Task.CompletedTask;
        });
    }
}
