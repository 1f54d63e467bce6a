using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.CrisisCapacity.Extensions;

namespace PublicSafety.CrisisCapacity.Infrastructure;

/// <summary>
/// Marks expired holds and publishes the freed counts. Availability never depends on it (an expired hold stops counting
/// at its expiry time); the sweeper makes the status and the BedAvailabilityChanged events follow.
/// </summary>
public sealed class HoldSweeper(BedLedger ledger, IOptions<CrisisOptions> options, ILogger<HoldSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                int expired;
                do
                {
                    expired = await ledger.ExpireHoldsAsync(stoppingToken);
                    if (expired > 0)
                    {
                        logger.LogInformation("Expired {ReservationCount} bed holds", expired);
                    }
                }
                while (expired > 0 && !stoppingToken.IsCancellationRequested);
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                // Before migrations finish or while PostgreSQL is away: the next tick tries again.
                logger.LogWarning(ex, "Sweeping expired bed holds failed; retrying in {SweepInterval}", options.Value.SweepInterval);
            }
        }
    }
}
