using System.Globalization;
using System.Text.Json;
using PublicSafety.Cameras.Infrastructure;

namespace PublicSafety.Cameras.Apis;

/// <summary>One row of an import file: the camera it describes (null if the row is unreadable), its id if it names one, and what did not parse.</summary>
internal sealed record ImportRow(Guid? Id, CameraRequest? Camera, Dictionary<string, string[]> Errors);

/// <summary>Reads an import file, CSV or GeoJSON, into rows; a file that cannot be read at all gives a file error instead.</summary>
internal static class CameraFileReader
{
    // Columns an export writes that an import does not take (the service assigns them).
    private static readonly HashSet<string> ExportOnly = ["health", "last_seen_at"];

    private static Guid? IdOf(string? value, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        if (Guid.TryParse(value, out var id) && id != Guid.Empty) return id;
        errors["id"] = ["id must be a UUID (or left empty for a new one)."];
        return null;
    }

    public static (List<ImportRow>? Rows, string? FileError) ReadCsv(string text)
    {
        var records = Csv.Parse(text);
        if (records is null)
        {
            return (null, "the CSV has a quoted field that is never closed.");
        }

        if (records.Count < 2)
        {
            return (null, "the CSV needs a header row and at least one camera.");
        }

        if (records.Count - 1 > TransferApi.MaxRows)
        {
            return (null, $"at most {TransferApi.MaxRows} cameras per file.");
        }

        var header = records[0].Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var unknown = header.Where(h => !TransferApi.CsvColumns.Contains(h)).ToArray();
        if (unknown.Length > 0 || header.Distinct().Count() != header.Length)
        {
            return (null, $"the header must name distinct columns among: {string.Join(", ", TransferApi.CsvColumns)}.");
        }

        var rows = new List<ImportRow>();
        foreach (var record in records.Skip(1))
        {
            var errors = new Dictionary<string, string[]>();
            if (record.Length != header.Length)
            {
                errors["columns"] = [$"the row has {record.Length} fields, the header {header.Length}."];
                rows.Add(new ImportRow(null, null, errors));
                continue;
            }

            var values = header.Zip(record).Where(p => !ExportOnly.Contains(p.First)).ToDictionary(p => p.First, p => Unformula(p.Second.Trim()));
            string? Value(string column) => values.GetValueOrDefault(column) is { Length: > 0 } v ? v : null;
            double? Number(string column)
            {
                if (Value(column) is not { } v) return null;
                if (double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
                errors[column] = [$"{column} is not a number."];
                return null;
            }

            DateOnly? installedOn = null;
            if (Value("installed_on") is { } date)
            {
                if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) installedOn = d;
                else errors["installedOn"] = ["installed_on must be a date, yyyy-MM-dd."];
            }

            var id = IdOf(Value("id"), errors);
            var camera = new CameraRequest(Value("name"), Value("kind"), Value("region"), Number("latitude"), Number("longitude"), Value("address"),
                Value("settlement"), Value("site_type"), Value("owner"),
                Value("capabilities")?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                Value("control_centre"), installedOn, Value("status"), Value("vendor_client_id"));
            rows.Add(new ImportRow(id, camera, errors));
        }

        return (rows, null);
    }

    public static (List<ImportRow>? Rows, string? FileError) ReadGeoJson(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            return (null, "the file is not JSON.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || StringOf(type) != "FeatureCollection"
                || !root.TryGetProperty("features", out var features) || features.ValueKind != JsonValueKind.Array)
            {
                return (null, "the file must be a GeoJSON FeatureCollection.");
            }

            if (features.GetArrayLength() is 0 or > TransferApi.MaxRows)
            {
                return (null, $"the collection must hold 1 to {TransferApi.MaxRows} features.");
            }

            var rows = new List<ImportRow>();
            foreach (var feature in features.EnumerateArray())
            {
                var errors = new Dictionary<string, string[]>();
                Guid? id = null;
                // GeoJSON keeps a feature's id beside its properties (RFC 7946 §3.2), where the export writes it.
                if (feature.ValueKind == JsonValueKind.Object && feature.TryGetProperty("id", out var fid) && fid.ValueKind != JsonValueKind.Null)
                {
                    id = fid.ValueKind == JsonValueKind.String ? IdOf(StringOf(fid) ?? "", errors) : IdOf("", errors);
                }

                double? lat = null, lon = null;
                if (feature.ValueKind == JsonValueKind.Object && feature.TryGetProperty("geometry", out var geometry) && geometry.ValueKind == JsonValueKind.Object
                    && geometry.TryGetProperty("type", out var gt) && StringOf(gt) == "Point"
                    && geometry.TryGetProperty("coordinates", out var c) && c.ValueKind == JsonValueKind.Array && c.GetArrayLength() >= 2
                    && FiniteOf(c[0]) is { } x && FiniteOf(c[1]) is { } y)
                {
                    lon = x;
                    lat = y;
                }
                else
                {
                    errors["geometry"] = ["geometry must be a GeoJSON Point [longitude, latitude] of finite numbers."];
                }

                var properties = feature.ValueKind == JsonValueKind.Object && feature.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
                    ? p : default;
                string? Text(string name)
                {
                    if (properties.ValueKind != JsonValueKind.Object || !properties.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
                    if (StringOf(v) is { } s) return s;
                    errors[name] = [v.ValueKind == JsonValueKind.String ? $"{name} must not contain an unpaired surrogate." : $"{name} must be a string."];
                    return null;
                }

                string[]? capabilities = null;
                if (properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty("capabilities", out var caps) && caps.ValueKind != JsonValueKind.Null)
                {
                    if (caps.ValueKind == JsonValueKind.Array && caps.EnumerateArray().All(x => StringOf(x) is not null))
                        capabilities = caps.EnumerateArray().Select(x => StringOf(x)!).ToArray();
                    else errors["capabilities"] = ["capabilities must be an array of strings."];
                }

                DateOnly? installedOn = null;
                if (Text("installedOn") is { } date)
                {
                    if (DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) installedOn = d;
                    else errors["installedOn"] = ["installedOn must be a date, yyyy-MM-dd."];
                }

                rows.Add(new ImportRow(id, new CameraRequest(Text("name"), Text("kind"), Text("region"), lat, lon, Text("address"), Text("settlement"), Text("siteType"),
                    Text("owner"), capabilities, Text("controlCentre"), installedOn, Text("status"), Text("vendorClientId")), errors));
            }

            return (rows, null);
        }
    }

    // Valid JSON is not always a valid .NET value: GetString throws on an escaped lone surrogate ("\ud800"), and a number
    // beyond double's range reads as infinity (older runtimes throw). Either is a bad value of the row, never a 500.
    private static string? StringOf(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String) return null;
        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static double? FiniteOf(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d) ? d : null;

    private static string Unformula(string value) => value is ['\'', '=' or '+' or '-' or '@', ..] ? value[1..] : value;
}
