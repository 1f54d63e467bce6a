using System.Net;
using System.Threading.RateLimiting;
using PublicSafety.Gateway.Limits;

namespace PublicSafety.Gateway.Tests;

/// <summary>The gateway's token bucket and who counts as one caller, under a clock the test moves.</summary>
public class SteadyTokenBucketTests
{
    private readonly ManualTimestamps _clock = new();

    [Fact]
    public void AfterAnyIdleTimeABurstGetsTheBucketAndNothingMore()
    {
        var bucket = new SteadyTokenBucket(capacity: 20, tokensPerSecond: 10, _clock);
        Assert.True(bucket.AttemptAcquire().IsAcquired);

        _clock.Advance(TimeSpan.FromMinutes(5));
        var admitted = Drain(bucket);

        Assert.Equal(20, admitted);
    }

    [Fact]
    public void ABucketRefillsAtItsRateAndSaysWhenTheNextPermitComes()
    {
        var bucket = new SteadyTokenBucket(capacity: 20, tokensPerSecond: 10, _clock);
        Drain(bucket);

        _clock.Advance(TimeSpan.FromMilliseconds(250));
        var afterAQuarterSecond = Drain(bucket);
        using var refused = bucket.AttemptAcquire();

        Assert.Equal(2, afterAQuarterSecond);
        Assert.False(refused.IsAcquired);
        Assert.True(refused.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter));
        Assert.InRange((TimeSpan)retryAfter!, TimeSpan.FromMilliseconds(49), TimeSpan.FromMilliseconds(51));
    }

    [Fact]
    public void ABucketIsIdleOnlyOnceItIsFullAgain()
    {
        var bucket = new SteadyTokenBucket(capacity: 2, tokensPerSecond: 1, _clock);
        bucket.AttemptAcquire().Dispose();
        bucket.AttemptAcquire().Dispose();

        _clock.Advance(TimeSpan.FromSeconds(1));
        var halfFull = bucket.IdleDuration;
        _clock.Advance(TimeSpan.FromSeconds(9));
        var full = bucket.IdleDuration;

        Assert.Null(halfFull);
        Assert.Equal(TimeSpan.FromSeconds(10), full);
    }

    [Theory]
    [InlineData("2001:db8:17:1::1", "2001:db8:17:1::/64")]
    [InlineData("2001:db8:17:1:ffff:ffff:ffff:fffe", "2001:db8:17:1::/64")]
    [InlineData("2001:db8:17:2::1", "2001:db8:17:2::/64")]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    public void AnIPv6CallerIsItsSlash64AndAnIPv4CallerItsAddress(string address, string network) =>
        Assert.Equal(network, ClientNetwork.Of(IPAddress.Parse(address)));

    private static int Drain(RateLimiter bucket)
    {
        var admitted = 0;
        while (true)
        {
            using var lease = bucket.AttemptAcquire();
            if (!lease.IsAcquired)
            {
                return admitted;
            }

            admitted++;
        }
    }

    /// <summary>A clock whose timestamps move only when the test says so.</summary>
    private sealed class ManualTimestamps : TimeProvider
    {
        private long _ticks = TimeSpan.TicksPerDay;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
