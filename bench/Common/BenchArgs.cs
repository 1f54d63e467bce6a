using System.Globalization;

namespace PublicSafety.Bench;

/// <summary>
/// Options of the form <c>--name value</c>. Values are parsed with the invariant culture so that a run reads the same on
/// every machine; a malformed or missing value stops the run with a message naming the option, rather than silently
/// measuring something else with the default.
/// </summary>
public sealed class BenchArgs(string[] args)
{
    public int Int(string name, int fallback) => Value(name) switch
    {
        null => fallback,
        var s when int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) => value,
        var s => throw Malformed(name, s, "an integer"),
    };

    public double Double(string name, double fallback) => Value(name) switch
    {
        null => fallback,
        var s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        var s => throw Malformed(name, s, "a number"),
    };

    public string String(string name, string fallback) => Value(name) ?? fallback;

    /// <summary>The option's value, or null when the option is absent.</summary>
    public string? String(string name) => Value(name);

    private string? Value(string name)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return null;
        }

        return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value.");
    }

    private static ArgumentException Malformed(string name, string value, string expected) =>
        new($"{name} expects {expected}, got '{value}'.");
}
