using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PublicSafety.Security.Tests.Fuzz;

/// <summary>One malformed request and what it is, for the report.</summary>
/// <summary>A malformed call; <paramref name="Unreadable"/>: a gRPC request no server can read (bad framing, bytes that are not the message).</summary>
public sealed record Probe(string Label, Call Call, bool Unreadable = false);

/// <summary>
/// Malformed variants of a valid REST call, from the operation's OpenAPI description: weird path and query values, bad
/// headers, broken JSON, and for each body property (nested ones too) wrong types, control characters, lone surrogates
/// (escaped and as raw bytes), huge strings, extreme numbers and dates. Fixed lists, no randomness.
/// </summary>
public static partial class RestProbes
{
    /// <summary>Bodies stay under about 200 KB: the limit a gateway in front of the services may well set lower, never higher.</summary>
    public const int MaxBody = 200_000;

    private const string Marker = "__FUZZ_RAW_VALUE__";

    private static readonly string Long = new('a', 10_000);

    /// <summary>Path segments as they go on the wire (already percent-encoded).</summary>
    private static readonly string[] PathValues =
        ["%00", "%ED%A0%80", "%FF%FE", "%C0%AF", Long, "-1", "99999999999999999999", "0", "%20", "%E2%80%AE", "null", "a%0D%0Ab"];

    private static readonly string[] CommonQueryValues = ["%00", "%ED%A0%80", "%FF", Long, "-1", "99999999999999999999", "", "%E2%80%AE"];

    public static IEnumerable<Probe> For(Operation operation, HttpCall example)
    {
        var (path, query) = Split(example.Path);
        var template = operation.Key[(operation.Key.IndexOf(' ') + 1)..].Split('/');
        var segments = path.Split('/');
        if (template.Length == segments.Length)
        {
            for (var i = 0; i < template.Length; i++)
            {
                if (ParameterIn().Match(template[i]) is not { Success: true } m)
                {
                    continue;
                }

                var (prefix, suffix) = (template[i][..m.Index], template[i][(m.Index + m.Length)..]);
                foreach (var value in PathValues)
                {
                    var copy = (string[])segments.Clone();
                    copy[i] = prefix + value + suffix;
                    yield return new Probe($"path {{{m.Groups[1].Value}}} = {Show(value)}", example with { Path = Join(string.Join('/', copy), query) });
                }
            }
        }

        foreach (var parameter in operation.Parameters.Where(p => p["in"]?.GetValue<string>() == "query"))
        {
            var name = parameter["name"]!.GetValue<string>();
            foreach (var value in QueryValues(parameter["schema"]))
            {
                var changed = query.Where(q => q.Name != name).Append((name, value)).ToList();
                yield return new Probe($"query {name} = {Show(value)}", example with { Path = Join(path, changed) });
            }
        }

        if (operation.Parameters.Any(p => p["in"]?.GetValue<string>() == "header" && p["name"]?.GetValue<string>() == "Idempotency-Key"))
        {
            foreach (var key in new[] { "", " ", new string('k', 10_000), "-1", "%00", "a\tb" })
            {
                yield return new Probe($"Idempotency-Key = {Show(key)}", example with { IdempotencyKey = key });
            }
        }

        foreach (var probe in BodyProbes(operation, example))
        {
            yield return probe;
        }
    }

    private static IEnumerable<Probe> BodyProbes(Operation operation, HttpCall example)
    {
        if (example.Raw is not null)
        {
            foreach (var probe in RawProbes(example))
            {
                yield return probe;
            }

            yield break;
        }

        var schema = operation.BodySchema;
        if (schema is null && example.Json is null)
        {
            yield break;
        }

        var valid = example.Json ?? Schemas.Example(schema!) ?? new JsonObject();
        var text = valid.ToJsonString();
        (string, byte[])[] wholes =
        [
            ("truncated", Encoding.UTF8.GetBytes(text[..(text.Length / 2)])), ("an array", "[]"u8.ToArray()), ("a string", "\"text\""u8.ToArray()),
            ("a number", "42"u8.ToArray()), ("null", "null"u8.ToArray()), ("true", "true"u8.ToArray()), ("an empty object", "{}"u8.ToArray()), ("empty", []),
            ("unterminated", "{\"a\":"u8.ToArray()), ("nested 1000 deep", Encoding.UTF8.GetBytes(new string('[', 1000) + new string(']', 1000))),
            ("invalid UTF-8", [0xFF, 0xFE, 0x00]), ("with a BOM", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(text)]),
            ("with a 200 KB unknown property", Encoding.UTF8.GetBytes($"{{\"unknown\":\"{new string('a', MaxBody - 20)}\"}}")),
        ];
        foreach (var (label, body) in wholes)
        {
            yield return new Probe($"body {label}", example with { Json = null, Raw = body, ContentType = "application/json" });
        }

        yield return new Probe("body as text/plain", example with { Json = null, Raw = Encoding.UTF8.GetBytes(text), ContentType = "text/plain" });

        if (schema is null)
        {
            yield break;
        }

        foreach (var (at, leaf) in Schemas.Leaves(schema, []))
        {
            foreach (var (label, value) in Mutations.For(leaf, Schemas.ValueAt(valid, at)))
            {
                var body = Body(valid, at, value);
                if (body.Length <= MaxBody + 1_000)
                {
                    yield return new Probe($"body {Schemas.Show(at)} = {label}", example with { Json = null, Raw = body, ContentType = "application/json" });
                }
            }
        }
    }

    /// <summary>A CSV or form body: control characters, invalid UTF-8, a huge line, broken quoting.</summary>
    private static IEnumerable<Probe> RawProbes(HttpCall example)
    {
        var text = Encoding.UTF8.GetString(example.Raw!);
        var form = example.ContentType == "application/x-www-form-urlencoded";
        (string, byte[])[] bodies = form
            ?
            [
                ("NUL in every value", Encoding.UTF8.GetBytes(Regex.Replace(text, "=([^&]*)", "=$1%00"))),
                ("lone surrogate in every value", Encoding.UTF8.GetBytes(Regex.Replace(text, "=([^&]*)", "=%ED%A0%80"))),
                ("huge values", Encoding.UTF8.GetBytes(Regex.Replace(text, "=([^&]*)", "=" + new string('a', 20_000)))),
                ("empty values", Encoding.UTF8.GetBytes(Regex.Replace(text, "=([^&]*)", "="))),
                ("bad escapes", "service_code=%ZZ&description=%"u8.ToArray()),
                ("raw invalid UTF-8", [.. Encoding.UTF8.GetBytes(text), .. "&description="u8.ToArray(), 0xFF, 0xFE]),
            ]
            :
            [
                ("NUL in a field", Encoding.UTF8.GetBytes(text.Replace("Imported", "Imp\0orted"))),
                ("raw invalid UTF-8", [.. Encoding.UTF8.GetBytes(text), 0xED, 0xA0, 0x80, 0xFF]),
                ("one 200 KB line", Encoding.UTF8.GetBytes(text + new string('a', MaxBody))),
                ("header only", Encoding.UTF8.GetBytes(text.Split("\r\n")[0])),
                ("unbalanced quote", Encoding.UTF8.GetBytes(text.Replace("Imported", "\"Imported"))),
                ("empty", []),
                ("extreme coordinates", Encoding.UTF8.GetBytes(text.Replace("43.2", "1e308").Replace("76.9", "NaN"))),
                ("impossible date", Encoding.UTF8.GetBytes(text.Replace("2025-01-01", "2024-02-30"))),
            ];
        foreach (var (label, body) in bodies)
        {
            yield return new Probe($"body {label}", example with { Raw = body });
        }
    }

    private static IEnumerable<string> QueryValues(JsonNode? schema)
    {
        var (kind, format) = Schemas.KindOf(schema);
        IEnumerable<string> specific = (kind, format) switch
        {
            (_, "date-time") => ["0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2024-02-30T00:00:00Z", "0001-01-01T00:00:00%2B14:00", "9999-12-31T23:59:59-14:00"],
            (_, "date") => ["0001-01-01", "9999-12-31", "2024-02-30"],
            (_, "uuid") => ["00000000-0000-0000-0000-000000000000", "zzz"],
            ("integer", _) => ["2147483648", "-2147483649", "1e308", "NaN", "1.5"],
            ("number", _) => ["NaN", "Infinity", "-Infinity", "1e308", "-1e308", "1e-400"],
            ("boolean", _) => ["maybe", "2"],
            _ => ["KZ-75%00", "1e308"],
        };
        return CommonQueryValues.Concat(specific);
    }

    /// <summary>The valid body with the value at <paramref name="at"/> replaced; a raw value is spliced in as bytes.</summary>
    private static byte[] Body(JsonNode valid, IReadOnlyList<object> at, Mutations.Value value)
    {
        var root = valid.DeepClone();
        if (value.Raw is null)
        {
            root = Schemas.SetAt(root, at, value.Node?.Invoke());
            return Encoding.UTF8.GetBytes(root?.ToJsonString() ?? "null");
        }

        root = Schemas.SetAt(root, at, JsonValue.Create(Marker));
        var bytes = Encoding.UTF8.GetBytes(root!.ToJsonString());
        var marker = Encoding.UTF8.GetBytes($"\"{Marker}\"");
        var index = bytes.AsSpan().IndexOf(marker);
        return [.. bytes[..index], .. value.Raw, .. bytes[(index + marker.Length)..]];
    }

    private static (string Path, List<(string Name, string Value)> Query) Split(string path)
    {
        var q = path.IndexOf('?');
        if (q < 0)
        {
            return (path, []);
        }

        var query = path[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (p[0], p.Length > 1 ? p[1] : ""))
            .ToList();
        return (path[..q], query);
    }

    private static string Join(string path, List<(string Name, string Value)> query) =>
        query.Count == 0 ? path : path + "?" + string.Join('&', query.Select(q => $"{q.Name}={q.Value}"));

    private static string Show(string value) => value.Length > 40 ? $"{value[..12]}… ({value.Length} chars)" : value;

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex ParameterIn();
}
