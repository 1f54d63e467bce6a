using System.Threading.RateLimiting;

namespace PublicSafety.Gateway.Limits;

/// <summary>
/// A token bucket that refills continuously, computed when a permit is asked for: at most <c>capacity</c> at once, and
/// never more than <c>capacity + rate × t</c> in any span of time t.
/// </summary>
/// <remarks>
/// Not System.Threading.RateLimiting's TokenBucketRateLimiter: inside a partitioned limiter (which the rate-limiting
/// middleware always uses) that one is replenished by a 100 ms heartbeat and, while its bucket is full, never moves its
/// "last replenished" time on. The first heartbeat after an idle bucket starts draining credits the whole idle time, so
/// the bucket is full again at once: a client that waited a few seconds got twice the burst within 100 ms (issue 17:
/// "10 per 1 s, burst 20" let 37–40 requests through in 0.06 s). Computing the refill from the time since the last
/// request cannot overshoot, needs no timer, and is exact under a test clock.
/// </remarks>
public sealed class SteadyTokenBucket : RateLimiter
{
    private static readonly RateLimitLease Granted = new Lease(true, null);

    private readonly Lock _lock = new();
    private readonly TimeProvider _clock;
    private readonly double _capacity;
    private readonly double _tokensPerSecond;
    private double _tokens;
    private long _updatedAt;
    private long _lastGrantedAt;

    public SteadyTokenBucket(int capacity, double tokensPerSecond, TimeProvider clock)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tokensPerSecond);
        _clock = clock;
        _capacity = capacity;
        _tokensPerSecond = tokensPerSecond;
        _tokens = capacity;
        _updatedAt = _lastGrantedAt = clock.GetTimestamp();
    }

    /// <summary>How long the bucket has been full and unused; the partitioned limiter drops such a partition after a while,
    /// which changes nothing, since a new one starts full.</summary>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var now = _clock.GetTimestamp();
                Refill(now);
                return _tokens >= _capacity ? _clock.GetElapsedTime(_lastGrantedAt, now) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Refill(_clock.GetTimestamp());
            return new RateLimiterStatistics { CurrentAvailablePermits = (long)_tokens };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(permitCount);
        lock (_lock)
        {
            var now = _clock.GetTimestamp();
            Refill(now);
            if (permitCount == 0)
            {
                return _tokens >= 1 ? Granted : Refused(1);
            }

            if (_tokens >= permitCount)
            {
                _tokens -= permitCount;
                _lastGrantedAt = now;
                return Granted;
            }

            return Refused(permitCount);
        }
    }

    /// <summary>Never queues: a caller over its limit is told at once when to come back.</summary>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Refill(long now)
    {
        var elapsed = _clock.GetElapsedTime(_updatedAt, now).TotalSeconds;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_capacity, _tokens + elapsed * _tokensPerSecond);
            _updatedAt = now;
        }
    }

    /// <summary>A refusal that says when enough tokens will be there; none for a request larger than the bucket.</summary>
    private Lease Refused(int permitCount) => new(false,
        permitCount > _capacity ? null : TimeSpan.FromSeconds((permitCount - _tokens) / _tokensPerSecond));

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            if (retryAfter is { } value && metadataName == MetadataName.RetryAfter.Name)
            {
                metadata = value;
                return true;
            }

            metadata = null;
            return false;
        }
    }
}
