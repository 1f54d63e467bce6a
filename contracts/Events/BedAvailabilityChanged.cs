namespace PublicSafety.Contracts.CrisisCapacity;

/// <summary>
/// The bed counts of one category of one facility changed (a hold, an expiry, an admission, a discharge, an edit).
/// Carries counts only: no case codes, no address.
/// </summary>
/// <param name="CentreId">The facility.</param>
/// <param name="Region">ISO 3166-2:KZ code of the facility's region.</param>
/// <param name="Category">Bed category: women, women_with_children, men, minors or detox.</param>
/// <param name="Total">Beds in the category.</param>
/// <param name="OutOfService">Beds that can't be used (repairs, quarantine).</param>
/// <param name="Occupied">Beds taken by open placements.</param>
/// <param name="Reserved">Beds held by live reservations.</param>
/// <param name="Available">Total − out of service − occupied − reserved.</param>
public sealed record BedAvailabilityChanged(
    Guid CentreId, string Region, string Category, int Total, int OutOfService, int Occupied, int Reserved, int Available)
    : IntegrationEvent;
