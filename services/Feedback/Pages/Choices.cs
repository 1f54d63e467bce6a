using System.Globalization;
using Microsoft.Extensions.Localization;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults;

namespace PublicSafety.Feedback.Pages;

/// <summary>The closed vocabularies as the pages offer them, in the citizen's language and alphabetical order.</summary>
public static class Choices
{
    // The Kazakh Cyrillic alphabet, which holds the Russian one in the same order: without culture data (invariant
    // globalization) an ordinal sort would put Ә, Қ, Ө, Ұ, Ү, І after Я.
    private const string Alphabet = "АӘБВГҒДЕЁЖЗИЙКҚЛМНҢОӨПРСТУҰҮФХҺЦЧШЩЪЫІЬЭЮЯ";

    /// <summary>Kinds a citizen may name in unsolicited feedback; placements and probation check-ins are invited by their own services.</summary>
    private static readonly string[] CitizenKinds = InteractionKinds.All.Except([InteractionKinds.CrisisPlacement, InteractionKinds.ProbationCheckIn]).ToArray();

    public static IReadOnlyList<(string Value, string Text)> Regions(IStringLocalizer l) => Sorted(ServiceDefaults.Auth.Regions.Names.Keys, "Region_", l);

    public static IReadOnlyList<(string Value, string Text)> Kinds(IStringLocalizer l) => Sorted(CitizenKinds, "Kind_", l);

    public static IReadOnlyList<(string Value, string Text)> Channels(IStringLocalizer l) => Sorted(InteractionChannels.All, "Channel_", l);

    /// <summary>Complaint categories in their own order ("other" last).</summary>
    public static IReadOnlyList<(string Value, string Text)> Categories(IStringLocalizer l) =>
        ComplaintCategories.All.Select(c => (c, l["Category_" + c].Value)).ToList();

    /// <summary>A day on Kazakhstan's calendar in the language's usual pattern.</summary>
    public static string Date(DateOnly day, IStringLocalizer l) => day.ToString(l["DateFormat"], CultureInfo.InvariantCulture);

    public static string Date(DateTimeOffset at, IStringLocalizer l) => Date(Kazakhstan.LocalDate(at), l);

    private static List<(string Value, string Text)> Sorted(IEnumerable<string> values, string prefix, IStringLocalizer l) =>
        values.Select(v => (v, l[prefix + v].Value)).OrderBy(c => SortKey(c.Item2), StringComparer.Ordinal).ToList();

    private static string SortKey(string text) => string.Concat(text.ToUpperInvariant().Select(c =>
        Alphabet.IndexOf(c) is >= 0 and var i ? (char)(0x3000 + i) : c));
}
