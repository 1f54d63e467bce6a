namespace PublicSafety.Contracts.CrisisCapacity;

/// <summary>
/// A person was admitted to a crisis centre or ЦВАД (CrisisCapacity service). Known only by the pseudonymous case code;
/// the centre's address is confidential and never travels in events.
/// </summary>
/// <param name="PlacementId">The placement in CrisisCapacity.</param>
/// <param name="CentreId">The facility.</param>
/// <param name="Region">ISO 3166-2:KZ code of the facility's region.</param>
/// <param name="Category">Bed category: women, women_with_children, men, minors or detox.</param>
/// <param name="CaseCode">Pseudonymous case code of the person placed.</param>
/// <param name="AccompanyingChildren">How many children came with the person.</param>
/// <param name="AdmittedAt">When the placement started.</param>
public sealed record PlacementStarted(
    Guid PlacementId, Guid CentreId, string Region, string Category, string CaseCode, int AccompanyingChildren, DateTimeOffset AdmittedAt)
    : IntegrationEvent;
