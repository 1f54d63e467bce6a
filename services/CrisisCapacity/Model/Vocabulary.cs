using System.Text.RegularExpressions;

namespace PublicSafety.CrisisCapacity.Model;

/// <summary>The names stored in the database and used on the wire for facility kinds and bed categories.</summary>
public static class FacilityKinds
{
    public const string StateCrisisCentre = "crisis_centre_state";
    public const string NgoCrisisCentre = "crisis_centre_ngo";
    public const string DetoxCentre = "detox_centre";

    public static readonly IReadOnlyList<string> All = [StateCrisisCentre, NgoCrisisCentre, DetoxCentre];

    public static bool IsValid(string? kind) => kind is not null && All.Contains(kind);
}

public static class BedCategories
{
    public const string Women = "women";
    public const string WomenWithChildren = "women_with_children";
    public const string Men = "men";
    public const string Minors = "minors";
    public const string Detox = "detox";

    public static readonly IReadOnlyList<string> All = [Women, WomenWithChildren, Men, Minors, Detox];

    public static bool IsValid(string? category) => category is not null && All.Contains(category);
}

/// <summary>
/// A pseudonymous case code (DESIGN: victims are known to the platform only by case codes): an issuing prefix, a year
/// and a serial, e.g. <c>CC-2026-00A17F</c>. The shape rejects names, phone numbers and ID numbers (IIN) by construction.
/// </summary>
public static partial class CaseCode
{
    [GeneratedRegex("^[A-Z]{2,4}-20[0-9]{2}-[0-9A-F]{6,12}$")]
    private static partial Regex Shape();

    public static bool IsValid(string? code) => code is not null && Shape().IsMatch(code);
}
