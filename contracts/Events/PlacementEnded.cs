namespace PublicSafety.Contracts.CrisisCapacity;

/// <summary>
/// A stay at a crisis centre ended (CrisisCapacity service). The person is known only by the pseudonymous case code;
/// the centre's address is confidential and never travels in events.
/// </summary>
/// <param name="PlacementId">The placement in CrisisCapacity.</param>
/// <param name="CentreId">The crisis centre whose bed became free.</param>
/// <param name="Region">ISO 3166-2:KZ code of the centre's region.</param>
/// <param name="CaseCode">Pseudonymous case code of the person placed.</param>
/// <param name="EndedAt">When the placement ended.</param>
public sealed record PlacementEnded(Guid PlacementId, Guid CentreId, string Region, string CaseCode, DateTimeOffset EndedAt) : IntegrationEvent;
