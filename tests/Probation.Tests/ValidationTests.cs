using PublicSafety.Probation.Apis;

namespace PublicSafety.Probation.Tests;

/// <summary>Edge checks that depend on the date: they use the injected clock and Kazakhstan's calendar day.</summary>
public sealed class ValidationTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    private static PersonRequest Born(DateOnly birthDate) => new("parolee", "KZ-75", "2-77/2026", "Synthetic Person", null, birthDate,
        new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public void ABirthDateIsCheckedAgainstTodayInKazakhstanOnTheInjectedClock()
    {
        // 20:00 UTC on 1 January 2030 is already 2 January (01:00) in Kazakhstan.
        var clock = new FixedClock(new DateTimeOffset(2030, 1, 1, 20, 0, 0, TimeSpan.Zero));

        Assert.DoesNotContain("birthDate", Validation.Person(Born(new DateOnly(2030, 1, 2)), clock).Keys);
        Assert.Contains("birthDate", Validation.Person(Born(new DateOnly(2030, 1, 3)), clock).Keys);
    }
}
