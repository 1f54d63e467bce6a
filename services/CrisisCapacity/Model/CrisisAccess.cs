using System.Security.Claims;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.CrisisCapacity.Model;

/// <summary>
/// What a caller may see and do here, by region: the one place every endpoint, the gRPC service and the ledger ask.
/// A facility, hold or placement the caller may not see answers 404, as if it did not exist.
/// </summary>
/// <param name="Scope">The token's region scope (one region or national).</param>
/// <param name="CrossRegion">crisis.placement with crisis.placement.crossregion: beds of every region may be found and booked.</param>
/// <param name="SeesAddresses">crisis.placement or crisis.manage: addresses and exact positions, inside <paramref name="Scope"/> only.</param>
/// <param name="Caller">The calling client and user: idempotency keys and a cross-region officer's own bookings belong to it.</param>
public sealed record CrisisAccess(RegionScope Scope, bool CrossRegion, bool SeesAddresses, string Caller)
{
    public static CrisisAccess Of(ClaimsPrincipal user) => new(
        user.Scope(),
        user.IsInRole(Roles.CrisisPlacement) && user.IsInRole(Roles.CrisisPlacementCrossRegion),
        user.IsInRole(Roles.CrisisPlacement) || user.IsInRole(Roles.CrisisManage),
        $"{user.ClientId()}/{user.FindFirstValue(ClaimTypes.NameIdentifier) ?? user.FindFirstValue("sub")}");

    /// <summary>The region whose free beds the caller may find, hold and place in; null for every region.</summary>
    public string? ReachRegion => CrossRegion ? null : Scope.Region;

    public bool Reaches(string region) => CrossRegion || Scope.Covers(region);

    /// <summary>Facility details and edits, analytics: the caller's own scope, whatever its permissions.</summary>
    public bool Covers(string region) => Scope.Covers(region);

    public bool SeesAddressIn(string region) => SeesAddresses && Scope.Covers(region);

    /// <summary>The regions whose centres' exact positions the caller may learn (others are answered on the grid).</summary>
    public IReadOnlyList<string> ExactRegions => SeesAddresses ? Scope.RegionCodes : [];

    /// <summary>A hold or placement: in the caller's scope, or booked by this cross-region officer in another region.</summary>
    public bool SeesBooking(string region, string? bookedBy) => Scope.Covers(region) || (CrossRegion && bookedBy == Caller);
}
