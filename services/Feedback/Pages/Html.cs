using System.Globalization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace PublicSafety.Feedback.Pages;

/// <summary>Rendering a page and reading a posted form.</summary>
internal static class Html
{
    public static RazorComponentResult Page<TComponent>(object? parameters = null, int status = StatusCodes.Status200OK)
        where TComponent : IComponent => new RazorComponentResult<TComponent>(parameters ?? new { }) { StatusCode = status };

    public static RazorComponentResult Outcome(Outcome outcome) => Page<Views.OutcomePage>(new { Outcome = outcome }, outcome.Status);

    /// <summary>A field's first value, trimmed; null when absent or blank.</summary>
    public static string? Text(IFormCollection form, string name) =>
        form.TryGetValue(name, out var values) && values is [{ } value, ..] && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>A score field: null when skipped; anything but a number becomes 0, which validation refuses like any out-of-range score.</summary>
    public static int? Score(IFormCollection form, string name) =>
        Text(form, name) is { } s ? int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 5 ? n : 0 : null;

    /// <summary>What the citizen typed, to fill the form again after an error (never the form token).</summary>
    public static IReadOnlyDictionary<string, string> Values(IFormCollection form) => form
        .Where(f => f.Key != "csrf")
        .ToDictionary(f => f.Key, f => f.Value is [{ } v, ..] ? v : "", StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> NoValues { get; } = new Dictionary<string, string>();
}
