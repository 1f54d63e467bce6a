using System.Text.Json.Nodes;

namespace PublicSafety.Security.Tests.Fuzz;

/// <summary>Just enough of JSON Schema (as ASP.NET Core's OpenAPI writes it, references resolved) to walk a request body.</summary>
public static class Schemas
{
    /// <summary>
    /// The kind (object, array, string, integer, number, boolean) and format of a schema. Nullable values are written as a
    /// type list with "null", numbers as ["number", "string"] (they may come as strings) and nullable objects as a oneOf
    /// with a null alternative.
    /// </summary>
    public static (string Kind, string? Format) KindOf(JsonNode? schema)
    {
        if (schema?["oneOf"] is JsonArray alternatives)
        {
            schema = alternatives.FirstOrDefault(a => a?["type"]?.ToString() != "null") ?? schema;
        }

        var format = schema?["format"]?.GetValue<string>();
        if (schema?["properties"] is not null)
        {
            return ("object", format);
        }

        var types = schema?["type"] switch
        {
            JsonArray list => list.Select(t => t!.GetValue<string>()).ToArray(),
            JsonValue one => [one.GetValue<string>()],
            _ => [],
        };
        foreach (var kind in new[] { "array", "object", "integer", "number", "boolean", "string" })
        {
            if (types.Contains(kind))
            {
                return (kind, format);
            }
        }

        return ("string", format);
    }

    private static JsonNode? Unwrap(JsonNode? schema) =>
        schema?["oneOf"] is JsonArray alternatives ? alternatives.FirstOrDefault(a => a?["type"]?.ToString() != "null") : schema;

    /// <summary>Every value of the body below the root, objects and arrays included (an array by its first element), with its path.</summary>
    public static IEnumerable<(IReadOnlyList<object> At, JsonNode Schema)> Leaves(JsonNode schema, IReadOnlyList<object> at, int depth = 0)
    {
        if (depth > 5)
        {
            yield break;
        }

        var (kind, _) = KindOf(schema);
        if (at.Count > 0)
        {
            yield return (at, schema);
        }

        if (kind == "object" && Unwrap(schema)?["properties"] is JsonObject properties)
        {
            foreach (var (name, property) in properties)
            {
                foreach (var leaf in Leaves(property!, [.. at, name], depth + 1))
                {
                    yield return leaf;
                }
            }
        }
        else if (kind == "array" && Unwrap(schema)?["items"] is { } items)
        {
            foreach (var leaf in Leaves(items, [.. at, 0], depth + 1))
            {
                yield return leaf;
            }
        }
    }

    /// <summary>A plausible value for a schema, for an operation the case table gives no example of.</summary>
    public static JsonNode? Example(JsonNode schema, int depth = 0)
    {
        var (kind, format) = KindOf(schema);
        return (kind, format) switch
        {
            ("object", _) when depth < 5 && Unwrap(schema)?["properties"] is JsonObject properties =>
                new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, Example(p.Value!, depth + 1)))),
            ("array", _) when depth < 5 && Unwrap(schema)?["items"] is { } items => new JsonArray(Example(items, depth + 1)),
            ("integer", _) => 1,
            ("number", _) => 1.5,
            ("boolean", _) => true,
            (_, "date-time") => Seed.Now.ToString("O"),
            (_, "date") => Seed.Now.ToString("yyyy-MM-dd"),
            (_, "uuid") => Guid.Empty.ToString(),
            ("string", _) => "x",
            _ => null,
        };
    }

    public static JsonNode? ValueAt(JsonNode? node, IReadOnlyList<object> at)
    {
        foreach (var step in at)
        {
            node = step switch
            {
                string name when node is JsonObject o => o[name],
                int i when node is JsonArray a && i < a.Count => a[i],
                _ => null,
            };
        }

        return node;
    }

    /// <summary>Sets the value at <paramref name="at"/>, making the objects and arrays on the way; returns the (possibly new) root.</summary>
    public static JsonNode? SetAt(JsonNode? root, IReadOnlyList<object> at, JsonNode? value)
    {
        if (at.Count == 0)
        {
            return value;
        }

        root ??= at[0] is int ? new JsonArray() : new JsonObject();
        var parent = root;
        for (var i = 0; i < at.Count - 1; i++)
        {
            var next = ValueAt(parent, [at[i]]);
            if (next is null || (at[i + 1] is int ? next is not JsonArray : next is not JsonObject))
            {
                next = at[i + 1] is int ? new JsonArray() : new JsonObject();
                Put(parent, at[i], next);
            }

            parent = next;
        }

        Put(parent, at[^1], value);
        return root;
    }

    private static void Put(JsonNode parent, object step, JsonNode? value)
    {
        if (step is string name && parent is JsonObject o)
        {
            o[name] = value;
        }
        else if (step is int i && parent is JsonArray a)
        {
            while (a.Count <= i)
            {
                a.Add(null);
            }

            a[i] = value;
        }
    }

    public static string Show(IReadOnlyList<object> at) => string.Concat(at.Select(s => s is int i ? $"[{i}]" : $".{s}")).TrimStart('.');
}
