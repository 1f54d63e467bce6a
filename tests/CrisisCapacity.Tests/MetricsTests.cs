using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using PublicSafety.CrisisCapacity.Infrastructure;

namespace PublicSafety.CrisisCapacity.Tests;

public class MetricsTests
{
    [Fact]
    public void ABedOperationIsCountedByOperationAndOutcomeAndTheOutcomeIsHandedBack()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        using var metrics = new CrisisMetrics(services.GetRequiredService<IMeterFactory>());
        var seen = new List<(long Value, string? Operation, string? Outcome)>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == CrisisMetrics.MeterName && instrument.Name == "crisis.bookings") l.EnableMeasurementEvents(instrument);
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var t = tags.ToArray();
            seen.Add((value, t.Single(x => x.Key == "operation").Value as string, t.Single(x => x.Key == "outcome").Value as string));
        });
        listener.Start();

        PlaceOutcome full = new PlaceOutcome.Full([]);
        var handedBack = metrics.Booking("admit", full);
        metrics.Booking("release", (PlaceOutcome)new PlaceOutcome.OutOfRegion());

        Assert.Same(full, handedBack);
        Assert.Equal([(1L, "admit", "full"), (1L, "release", "out_of_region")], seen);
    }
}
