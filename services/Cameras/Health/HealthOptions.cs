namespace PublicSafety.Cameras.Health;

/// <summary><c>Cameras:Health</c>: when a silent camera counts as offline and how often the sweeper looks.</summary>
public sealed class HealthOptions
{
    public const string Section = "Cameras:Health";

    /// <summary>Silence after which a camera is offline. Cameras report once a minute; the target is detection within 2 minutes.</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromSeconds(90);

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Cameras marked offline per transaction (with their events).</summary>
    public int SweepBatchSize { get; set; } = 1000;
}
