namespace PublicSafety.Cameras.Model;

/// <summary>planned → installed → active ⇄ maintenance → decommissioned; decommissioned is final.</summary>
public static class Lifecycle
{
    public const string Planned = "planned";
    public const string Installed = "installed";
    public const string Active = "active";
    public const string Maintenance = "maintenance";
    public const string Decommissioned = "decommissioned";

    public static readonly IReadOnlySet<string> Statuses = new HashSet<string>(StringComparer.Ordinal)
    {
        Planned, Installed, Active, Maintenance, Decommissioned,
    };

    /// <summary>A camera may be registered as planned, or already installed or active (an existing camera taken into the inventory).</summary>
    public static readonly IReadOnlySet<string> InitialStatuses = new HashSet<string>(StringComparer.Ordinal) { Planned, Installed, Active };

    private static readonly Dictionary<string, string[]> Allowed = new(StringComparer.Ordinal)
    {
        [Planned] = [Installed, Decommissioned],
        [Installed] = [Active, Maintenance, Decommissioned],
        [Active] = [Maintenance, Decommissioned],
        [Maintenance] = [Active, Decommissioned],
        [Decommissioned] = [],
    };

    public static IReadOnlyList<string> AllowedFrom(string status) => Allowed.TryGetValue(status, out var to) ? to : [];

    public static bool CanMove(string from, string to) => AllowedFrom(from).Contains(to, StringComparer.Ordinal);
}
