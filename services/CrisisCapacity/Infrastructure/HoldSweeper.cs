using Microsoft.Extensions.Options;
using PublicSafety.CrisisCapacity.Extensions;
using PublicSafety.ServiceDefaults.Hosting;

namespace PublicSafety.CrisisCapacity.Infrastructure;

/// <summary>
/// Marks expired holds and publishes the freed counts. Availability never depends on it (an expired hold stops counting
/// at its expiry time); the sweeper makes the status and the BedAvailabilityChanged events follow.
/// </summary>
public sealed class HoldSweeper(BedLedger ledger, CrisisMetrics metrics, TimeProvider time, IOptions<CrisisOptions> options, ILogger<HoldSweeper> logger)
    : PeriodicJob(time, logger)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    /// <summary>Expires holds a batch at a time until none is left.</summary>
    public override async Task<int> RunOnceAsync(CancellationToken ct)
    {
        var total = 0;
        int expired;
        do
        {
            expired = await ledger.ExpireHoldsAsync(ct);
            total += expired;
        }
        while (expired > 0 && !ct.IsCancellationRequested);

        metrics.HoldsExpired(total);
        return total;
    }
}
