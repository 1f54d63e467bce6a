namespace PublicSafety.Probation.Model;

/// <summary>
/// How a device nobody wears moves through the inventory (assigning and releasing are operations of their own): stock
/// may prove faulty or go missing; a device back from a person (returned) is checked into stock or found faulty; a
/// repaired one goes back to stock; a lost one that turns up comes back as returned, to be checked like any other.
/// </summary>
public static class DeviceLifecycle
{
    /// <summary>The statuses of a device that is not assigned: what a release or a status change may set.</summary>
    public static readonly string[] Unassigned = ["in_stock", "returned", "lost", "faulty"];

    private static readonly Dictionary<string, string[]> Next = new()
    {
        ["in_stock"] = ["faulty", "lost"],
        ["returned"] = ["in_stock", "faulty", "lost"],
        ["faulty"] = ["in_stock", "lost"],
        ["lost"] = ["returned"],
    };

    public static bool CanChange(string from, string to) => Next.TryGetValue(from, out var next) && next.Contains(to);
}
