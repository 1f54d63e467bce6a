using Microsoft.Extensions.Localization;

namespace PublicSafety.Feedback.Pages;

/// <summary>
/// The operations' validation errors (keyed by field, worded for developers) in the citizen's language, one message per
/// field. The page ties each to its field (aria-describedby) and lists them in a summary that links to the fields.
/// </summary>
public sealed class PageErrors(IReadOnlyDictionary<string, string> messages)
{
    public static readonly PageErrors None = new(new Dictionary<string, string>());

    private static readonly string[] Scores = ["overall", "legality", "thoroughness", "timeliness", "respect", "informedness"];

    public IReadOnlyDictionary<string, string> Messages { get; } = messages;

    public bool Any => Messages.Count > 0;

    public string? this[string field] => Messages.GetValueOrDefault(field);

    public static PageErrors From(IReadOnlyDictionary<string, string[]> errors, IStringLocalizer<CitizenTexts> l, bool unitRequired = false) =>
        new(errors.ToDictionary(e => e.Key, e => l[KeyFor(e.Key, unitRequired)].Value, StringComparer.Ordinal));

    public static PageErrors One(string field, string message) => new(new Dictionary<string, string> { [field] = message });

    /// <summary>The id of the element a summary link jumps to: a rating group's first option, otherwise the field itself.</summary>
    public static string Anchor(string field) => Scores.Contains(field) ? field + "-1" : field;

    /// <summary>The ids that describe a field: its hint, if any, and its error, if any.</summary>
    public string? DescribedBy(string field, bool hint = false) =>
        string.Join(' ', new[] { hint ? field + "-hint" : null, this[field] is null ? null : field + "-error" }.OfType<string>()) is { Length: > 0 } ids
            ? ids
            : null;

    private static string KeyFor(string field, bool unitRequired) => field switch
    {
        "overall" => "ErrorOverall",
        "legality" or "thoroughness" or "timeliness" or "respect" or "informedness" => "ErrorScore",
        "comment" => "ErrorComment",
        "token" => "ErrorToken",
        "region" => "ErrorRegion",
        "unit" => unitRequired ? "ErrorUnitRequired" : "ErrorUnit",
        "interactionKind" or "channel" or "category" => "ErrorChoice",
        "description" => "ErrorDescription",
        "incidentAt" or "incidentDate" => "ErrorIncident",
        _ => "ErrorGeneric",
    };
}
