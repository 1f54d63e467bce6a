namespace PublicSafety.CrisisCapacity.Extensions;

/// <summary>Section <c>Crisis</c>: how long a hold lasts and how often expired holds are swept.</summary>
public sealed class CrisisOptions
{
    public const string Section = "Crisis";

    /// <summary>How long a reservation holds a bed unless it becomes a placement.</summary>
    public TimeSpan ReservationHold { get; set; } = TimeSpan.FromMinutes(60);

    /// <summary>How often the sweeper marks expired holds (they stop counting at expiry regardless).</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Load the synthetic national dataset at start-up (development and demonstration databases only).</summary>
    public bool SeedSynthetic { get; set; }
}
