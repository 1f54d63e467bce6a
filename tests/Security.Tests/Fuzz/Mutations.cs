using System.Text;
using System.Text.Json.Nodes;

namespace PublicSafety.Security.Tests.Fuzz;

/// <summary>The malformed values tried for one body value, by its schema's kind and format.</summary>
public static class Mutations
{
    /// <summary>A value as a JSON node (made fresh for each body), or as raw bytes for what a JSON writer won't produce.</summary>
    public sealed record Value(Func<JsonNode?>? Node = null, byte[]? Raw = null);

    private static (string, Value) N(string label, Func<JsonNode?> node) => (label, new Value(node));

    private static (string, Value) R(string label, string raw) => (label, new Value(Raw: Encoding.UTF8.GetBytes(raw)));

    private static (string, Value) B(string label, params byte[] raw) => (label, new Value(Raw: raw));

    public static IEnumerable<(string Label, Value Value)> For(JsonNode schema, JsonNode? valid)
    {
        var (kind, format) = Schemas.KindOf(schema);
        yield return N("null", () => null);
        var values = kind switch
        {
            "object" => [N("a string", () => "x"), N("a number", () => 1), N("an array", () => new JsonArray())],
            "array" => Arrays(valid),
            "integer" => Integers,
            "number" => Numbers,
            "boolean" => [N("a string", () => "yes"), N("a number", () => 1), N("an object", () => new JsonObject())],
            _ => Strings(format),
        };
        foreach (var value in values)
        {
            yield return value;
        }
    }

    private static readonly (string, Value)[] Integers =
    [
        N("a string", () => "abc"), N("true", () => true), N("an object", () => new JsonObject()), N("1.5", () => 1.5), R("2147483648", "2147483648"),
        R("-2147483649", "-2147483649"), R("9223372036854775808", "9223372036854775808"), R("1e308", "1e308"), R("-1e308", "-1e308"),
        N("\"NaN\"", () => "NaN"), N("-1", () => -1), N("0", () => 0),
    ];

    private static readonly (string, Value)[] Numbers =
    [
        N("a string", () => "abc"), N("true", () => true), R("1e308", "1e308"), R("-1e308", "-1e308"), R("1e309", "1e309"),
        R("9223372036854775808", "9223372036854775808"), N("\"NaN\"", () => "NaN"), N("\"Infinity\"", () => "Infinity"),
        N("\"-Infinity\"", () => "-Infinity"), R("-0", "-0.0"), R("1e-400", "1e-400"), R("5e-324", "5e-324"),
    ];

    private static IEnumerable<(string, Value)> Strings(string? format)
    {
        (string, Value)[] common =
        [
            N("a number", () => 12345), N("true", () => true), N("an object", () => new JsonObject()), N("an array", () => new JsonArray()),
            N("NUL", () => "a\0b"), N("control characters", () => "\u0001\u0008\u001b[31m\u007f"), N("a line break", () => "a\r\nb"),
            R("\"\\ud800\" (lone surrogate)", "\"a\\ud800b\""), R("\"\\udfff\" (lone surrogate)", "\"\\udfffz\""),
            B("raw ED A0 80 (surrogate as UTF-8)", [(byte)'"', (byte)'a', 0xED, 0xA0, 0x80, (byte)'"']), B("raw FF", [(byte)'"', 0xFF, 0xFE, (byte)'"']),
            N("empty", () => ""), N("blank", () => "   "), N("10,000 characters", () => new string('a', 10_000)),
            N("200 KB", () => new string('a', RestProbes.MaxBody - 2_000)), N("right-to-left override", () => "\u202e\u200bKZ-75"),
            N("SQL", () => "'; DROP TABLE x; --"), N("format string", () => "%s%n{0}"), N("1e308", () => "1e308"),
        ];
        IEnumerable<(string, Value)> specific = format switch
        {
            "date-time" =>
            [
                N("0001-01-01T00:00:00Z", () => "0001-01-01T00:00:00Z"), N("9999-12-31T23:59:59Z", () => "9999-12-31T23:59:59Z"),
                N("2024-02-30T00:00:00Z", () => "2024-02-30T00:00:00Z"), N("0001-01-01T00:00:00+14:00", () => "0001-01-01T00:00:00+14:00"),
                N("9999-12-31T23:59:59-14:00", () => "9999-12-31T23:59:59-14:00"), N("2024-02-30", () => "2024-02-30"),
            ],
            "date" => [N("0001-01-01", () => "0001-01-01"), N("9999-12-31", () => "9999-12-31"), N("2024-02-30", () => "2024-02-30")],
            "uuid" => [N("the empty uuid", () => Guid.Empty.ToString()), N("not a uuid", () => "not-a-uuid")],
            _ => [N("0001-01-01T00:00:00Z", () => "0001-01-01T00:00:00Z"), N("2024-02-30", () => "2024-02-30")],
        };
        return common.Concat(specific);
    }

    /// <summary>An array: the wrong shapes, and as many copies of its first element as fit the body limit.</summary>
    private static IEnumerable<(string, Value)> Arrays(JsonNode? valid)
    {
        yield return N("a string", () => "x");
        yield return N("an object", () => new JsonObject());
        yield return N("[null]", () => new JsonArray((JsonNode?)null));
        if (valid is JsonArray { Count: > 0 } array && array[0] is { } first)
        {
            var size = first.ToJsonString().Length + 1;
            var count = Math.Min(5_000, (RestProbes.MaxBody - 2_000) / size);
            yield return N($"{count} elements", () => new JsonArray(Enumerable.Range(0, count).Select(_ => first.DeepClone()).ToArray()));
        }
    }
}
