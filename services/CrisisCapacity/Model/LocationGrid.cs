namespace PublicSafety.CrisisCapacity.Model;

/// <summary>
/// The grid on which a caller who may not see a centre's address learns where it is (README, "Location grid"): rows
/// 5 km of latitude high, each cut into cells 5 km wide at the row's middle latitude; such a centre is placed at its
/// cell's middle (PostgreSQL function <c>location_grid_cell</c>, column <c>facilities.grid_location</c>, migration 0006)
/// and distances to it are rounded to whole cells. Both depend on the cell alone, so no number of probes narrows it.
/// </summary>
public static class LocationGrid
{
    /// <summary>The cell size; migration 0006 generates <c>grid_location</c> with the same figure.</summary>
    public const double CellMeters = 5000;

    public const double CellKm = CellMeters / 1000;

    /// <summary>What the caller is told: to 100 m where it may see the address, else to whole cells.</summary>
    public static double RoundMeters(double meters, bool exact) =>
        exact ? Math.Round(meters / 100) * 100 : Math.Round(meters / CellMeters) * CellMeters;
}
