namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>
/// The part of the country whose records a caller may see and change: one region (ISO 3166-2:KZ), or the whole country.
/// A caller has a scope only if its token says so explicitly (<see cref="CallerExtensions.Scope"/>): a token with
/// neither a valid <c>region</c> claim nor the <see cref="Roles.PlatformNational"/> role has none and gets nothing.
/// </summary>
public sealed record RegionScope
{
    public static readonly RegionScope National = new(region: null);

    private RegionScope(string? region) => Region = region;

    /// <summary>The one region the caller is limited to (upper case), or null for national scope.</summary>
    public string? Region { get; }

    public bool IsNational => Region is null;

    public static RegionScope Of(string region) => Regions.IsValid(region)
        ? new RegionScope(region.ToUpperInvariant())
        : throw new ArgumentException($"'{region}' is not an ISO 3166-2:KZ region code.", nameof(region));

    /// <summary>True if a record of <paramref name="region"/> is inside this scope; a record without a region is national.</summary>
    public bool Covers(string? region) =>
        IsNational || (region is not null && string.Equals(Region, region, StringComparison.OrdinalIgnoreCase));

    /// <summary>The regions inside this scope, for queries that take a list.</summary>
    public IReadOnlyList<string> RegionCodes => IsNational ? [.. Regions.Names.Keys] : [Region!];

    public override string ToString() => Region ?? "national";
}

/// <summary>
/// Thrown where code asks for the scope of a caller that has none. Authorization already refuses such callers on every
/// role policy; this is the second wall for a path that reaches the scope another way (mapped to 403, never national).
/// </summary>
public sealed class RegionScopeMissingException() : UnauthorizedAccessException("The caller's token carries no region scope.");
