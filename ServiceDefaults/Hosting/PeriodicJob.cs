using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PublicSafety.ServiceDefaults.Hosting;

/// <summary>
/// Background work run every <see cref="Interval"/> on the injected clock: sweepers, detectors, retention. Every replica
/// runs it, so a job must be safe to run concurrently: it claims its rows with <c>FOR UPDATE SKIP LOCKED</c> or holds a
/// leader lock, and records what it did under a unique key. Tests call <see cref="RunOnceAsync"/> on a controlled clock.
/// </summary>
public abstract partial class PeriodicJob(TimeProvider time, ILogger logger) : BackgroundService
{
    protected TimeProvider Time => time;

    protected abstract TimeSpan Interval { get; }

    /// <summary>One pass; returns how many items it handled (logged when more than none).</summary>
    public abstract Task<int> RunOnceAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await WaitAsync(timer, stoppingToken))
        {
            try
            {
                var handled = await RunOnceAsync(stoppingToken);
                if (handled > 0)
                {
                    LogHandled(GetType().Name, handled);
                }
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // The database may be starting, away or not yet migrated: the next tick tries again.
                LogFailed(GetType().Name, ex);
            }
        }
    }

    /// <summary>Waits for the next pass; a job woken early by a signal overrides it.</summary>
    protected virtual async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct) => await timer.WaitForNextTickAsync(ct);

    [LoggerMessage(LogLevel.Information, "{Job} handled {Count} items")]
    private partial void LogHandled(string job, int count);

    [LoggerMessage(LogLevel.Warning, "{Job} failed; the next pass tries again")]
    private partial void LogFailed(string job, Exception ex);
}

public static class PeriodicJobExtensions
{
    /// <summary>A job is a singleton (tests run it by hand) and a hosted service (every replica runs it).</summary>
    public static IServiceCollection AddPeriodicJob<TJob>(this IServiceCollection services) where TJob : PeriodicJob
    {
        services.AddSingleton<TJob>();
        services.AddHostedService(sp => sp.GetRequiredService<TJob>());
        return services;
    }
}
