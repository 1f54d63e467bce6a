namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>The 17 oblasts and 3 cities of republican significance, by ISO 3166-2:KZ code (codes after the 2022 reform).</summary>
public static class Regions
{
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["KZ-10"] = "Abai Region",
        ["KZ-11"] = "Akmola Region",
        ["KZ-15"] = "Aktobe Region",
        ["KZ-19"] = "Almaty Region",
        ["KZ-23"] = "Atyrau Region",
        ["KZ-27"] = "West Kazakhstan Region",
        ["KZ-31"] = "Jambyl Region",
        ["KZ-33"] = "Jetisu Region",
        ["KZ-35"] = "Karaganda Region",
        ["KZ-39"] = "Kostanay Region",
        ["KZ-43"] = "Kyzylorda Region",
        ["KZ-47"] = "Mangystau Region",
        ["KZ-55"] = "Pavlodar Region",
        ["KZ-59"] = "North Kazakhstan Region",
        ["KZ-61"] = "Turkistan Region",
        ["KZ-62"] = "Ulytau Region",
        ["KZ-63"] = "East Kazakhstan Region",
        ["KZ-71"] = "Astana",
        ["KZ-75"] = "Almaty",
        ["KZ-79"] = "Shymkent",
    };

    public static bool IsValid(string? code) => code is not null && Names.ContainsKey(code);
}
