using PublicSafety.DevToken;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.Testing;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace PublicSafety.Security.Tests;

/// <summary>Who sends a call.</summary>
public enum Caller
{
    /// <summary>Every role of the service, national scope: seeds the records and looks at them before and after.</summary>
    National,

    /// <summary>Every role of the service, limited to KZ-71, with the same user and client as <see cref="National"/>.</summary>
    Regional,

    /// <summary>The service's ingestion role alone, limited to KZ-71, as the vendor client that owns the seeded devices.</summary>
    Vendor,

    /// <summary>The same vendor client with national scope, which seeds the devices' telemetry.</summary>
    NationalVendor,

    Anonymous,
}

/// <summary>The tokens of the suite. One user and one client for people, so that ownership (supervising officer, idempotency keys) matches across scopes.</summary>
public static class Callers
{
    public const string Region = "KZ-71";
    public const string SeededRegion = "KZ-75";
    public const string User = "enum-officer";
    public const string Client = "enum-client";

    /// <summary>The vendor client of each service's seeded devices and cameras.</summary>
    public static readonly IReadOnlyDictionary<string, string> Vendors = new Dictionary<string, string>
    {
        ["Probation"] = "enum-probation-vendor",
        ["RoadSafety"] = "enum-road-vendor",
        ["Cameras"] = "enum-camera-vendor",
        ["Feedback"] = Client,
        ["CrisisCapacity"] = Client,
    };

    public static string? Token(Service service, Caller caller) => caller switch
    {
        Caller.National => Create(RolesOf(service), region: null, Client, User),
        Caller.Regional => Create(RolesOf(service), Region, Client, User),
        Caller.Vendor => Create([$"{service.RolePrefix}.ingest"], Region, Vendors[service.Name], user: null),
        Caller.NationalVendor => Create([$"{service.RolePrefix}.ingest"], region: null, Vendors[service.Name], user: null),
        _ => null,
    };

    /// <summary>
    /// Every role of the service, except a grant whose purpose is to reach other regions (crisis.placement.crossregion):
    /// what it may and may not show across regions is its service's own test; here it would only blur "limited to KZ-71".
    /// </summary>
    public static string[] RolesOf(Service service) =>
        Roles.OfService(service.RolePrefix).Where(r => !r.EndsWith(".crossregion", StringComparison.Ordinal)).ToArray();

    private static string Create(IReadOnlyList<string> roles, string? region, string client, string? user) =>
        TestTokens.Create(new TokenRequest { Roles = roles, Region = region, Client = client, User = user, Lifetime = TimeSpan.FromHours(2) });
}
