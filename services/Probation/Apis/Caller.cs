using System.Security.Claims;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Apis;

public enum PersonAccess { None, Summary, Supervisor }

/// <summary>What the caller may see of a person: the supervising officer everything, a reader of the region a summary.</summary>
public static class Caller
{
    /// <summary>The token subject (<c>sub</c>): officers are identified by it, not by their changeable user name.</summary>
    public static string? Subject(this ClaimsPrincipal user) => user.FindFirstValue("sub");

    public static bool IsSupervisorOf(this ClaimsPrincipal user, string officerSubject, string region) =>
        user.IsInRole(Roles.ProbationOfficer) && user.Subject() is { } sub && sub == officerSubject && user.CanAccessRegion(region);

    public static PersonAccess AccessTo(this ClaimsPrincipal user, string officerSubject, string region) =>
        user.IsSupervisorOf(officerSubject, region) ? PersonAccess.Supervisor
        : user.IsInRole(Roles.ProbationRead) && user.CanAccessRegion(region) ? PersonAccess.Summary
        : PersonAccess.None;
}
