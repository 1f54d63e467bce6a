namespace PublicSafety.Bench;

/// <summary>
/// Nearest-rank percentile, the one definition every benchmark reports: the p-quantile of n sorted values is the value
/// at rank ⌈p·n⌉ (1-based), i.e. the smallest observed value with at least p of all values at or below it. No
/// interpolation, so a reported p99 is always a latency that was actually measured.
/// </summary>
public static class Percentile
{
    /// <param name="sorted">Values in ascending order (sort once, then ask for several percentiles).</param>
    /// <param name="fraction">The percentile as a fraction: 0.99 for p99.</param>
    /// <returns>NaN when there are no values.</returns>
    public static double NearestRank(IReadOnlyList<double> sorted, double fraction) =>
        sorted.Count == 0 ? double.NaN : sorted[Index(sorted.Count, fraction)];

    /// <summary>The 0-based index of the nearest-rank value among <paramref name="count"/> (&gt; 0) sorted values.</summary>
    public static int Index(int count, double fraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(fraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(fraction, 1);
        // p = 0 would give rank 0: the smallest value is the nearest rank then.
        return Math.Clamp((int)Math.Ceiling(fraction * count) - 1, 0, count - 1);
    }
}
