using PublicSafety.ServiceDefaults.Messaging;

namespace PublicSafety.Messaging.Tests;

public class RetryPolicyTests
{
    [Fact]
    public void ImmediateRetriesComeFirstThenDelaysDoubleUpToTheCap()
    {
        var retry = new RetryOptions { Immediate = 2, Delayed = 5, FirstDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(5) };

        Assert.Equal([0, 0, 1, 2, 4, 5, 5], retry.Intervals().Select(i => i.TotalSeconds));
    }

    [Fact]
    public void TheDefaultsRetryTwiceAtOnceThenFourTimesOverAboutFifteenSeconds()
    {
        var intervals = new MessagingOptions().Retry.Intervals();

        Assert.Equal(6, intervals.Length);
        Assert.Equal(TimeSpan.FromSeconds(15), intervals.Aggregate(TimeSpan.Zero, (sum, i) => sum + i));
    }
}
