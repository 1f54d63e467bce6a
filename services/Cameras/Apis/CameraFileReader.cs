using System.Globalization;
using System.Text;
using System.Text.Json;
using PublicSafety.Cameras.Infrastructure;

namespace PublicSafety.Cameras.Apis;

/// <summary>One row of an import file: the camera it describes (null if the row is unreadable), its id if it names one, and what did not parse.</summary>
internal sealed record ImportRow(Guid? Id, CameraRequest? Camera, Dictionary<string, string[]> Errors);

/// <summary>Why a file was refused before all of it was read: a 400 (unreadable, naming the file or a row) or a 413 (too many cameras).</summary>
internal sealed record FileRefusal(int StatusCode, string Field, string Message);

/// <summary>
/// Reads an import file, CSV or GeoJSON, from the request body into rows as it arrives. The limits hold while reading: a row
/// past <see cref="TransferApi.MaxRows"/>, a field, line or feature past its length stops the reading there with a refusal, so
/// a file never costs more memory than its accepted rows.
/// </summary>
internal static class CameraFileReader
{
    /// <summary>The longest field a CSV may have: twice the longest text a camera takes, so that a long value is reported, not cut.</summary>
    public const int MaxFieldChars = 2 * CameraValidation.MaxText;

    /// <summary>The longest CSV line: every column at its longest value fits with room to spare.</summary>
    public const int MaxLineChars = 8 * 1024;

    /// <summary>The largest GeoJSON feature (or other single value of the file).</summary>
    public const int MaxFeatureBytes = 64 * 1024;

    // Columns an export writes that an import does not take (the service assigns them).
    private static readonly HashSet<string> ExportOnly = ["health", "last_seen_at"];

    private static Guid? IdOf(string? value, Dictionary<string, string[]> errors)
    {
        if (value is null) return null;
        if (Guid.TryParse(value, out var id) && id != Guid.Empty) return id;
        errors["id"] = ["id must be a UUID (or left empty for a new one)."];
        return null;
    }

    private static FileRefusal TooMany() =>
        new(StatusCodes.Status413PayloadTooLarge, "file", $"At most {TransferApi.MaxRows} cameras per file; this one has more.");

    private static FileRefusal Unreadable(string field, string message) => new(StatusCodes.Status400BadRequest, field, message);

    public static async Task<(List<ImportRow>? Rows, FileRefusal? Refusal)> ReadCsvAsync(Stream body, CancellationToken ct)
    {
        using var text = new StreamReader(body, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 16 * 1024, leaveOpen: true);
        var csv = new CsvReader(text, MaxFieldChars, MaxLineChars);
        var (status, names) = await csv.ReadAsync(ct);
        if (Refusal(status, "file", "the header") is { } headerRefusal) return (null, headerRefusal);
        if (status == CsvStatus.End) return (null, Unreadable("file", "the CSV needs a header row and at least one camera."));
        var header = names!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        if (header.Any(h => !TransferApi.CsvColumns.Contains(h)) || header.Distinct().Count() != header.Length)
        {
            return (null, Unreadable("file", $"the header must name distinct columns among: {string.Join(", ", TransferApi.CsvColumns)}."));
        }

        var rows = new List<ImportRow>();
        while (true)
        {
            var (next, record) = await csv.ReadAsync(ct);
            if (next == CsvStatus.End) break;
            if (Refusal(next, $"rows[{rows.Count + 1}]", $"row {rows.Count + 1}") is { } refusal) return (null, refusal);
            if (rows.Count == TransferApi.MaxRows) return (null, TooMany());
            rows.Add(Row(header, record!));
        }

        return rows.Count == 0 ? (null, Unreadable("file", "the CSV needs a header row and at least one camera.")) : (rows, null);
    }

    private static FileRefusal? Refusal(CsvStatus status, string field, string where) => status switch
    {
        CsvStatus.UnclosedQuote => Unreadable("file", $"the CSV has a quoted field that is never closed (in {where}); nothing was read after it."),
        CsvStatus.FieldTooLong => Unreadable(field, $"{where} has a field longer than {MaxFieldChars} characters; nothing was read after it."),
        CsvStatus.RecordTooLong => Unreadable(field, $"{where} is longer than {MaxLineChars} characters; nothing was read after it."),
        _ => null,
    };

    private static ImportRow Row(string[] header, string[] record)
    {
        var errors = new Dictionary<string, string[]>();
        if (record.Length != header.Length)
        {
            errors["columns"] = [$"the row has {record.Length} fields, the header {header.Length}."];
            return new ImportRow(null, null, errors);
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
        return new ImportRow(id, camera, errors);
    }

    public static async Task<(List<ImportRow>? Rows, FileRefusal? Refusal)> ReadGeoJsonAsync(Stream body, CancellationToken ct)
    {
        var reader = new GeoJsonFeatureReader(body, MaxFeatureBytes);
        var rows = new List<ImportRow>();
        while (true)
        {
            var (status, document) = await reader.ReadAsync(ct);
            switch (status)
            {
                case GeoJsonStatus.NotJson:
                    return (null, Unreadable("file", "the file is not JSON."));
                case GeoJsonStatus.NotAFeatureCollection:
                    return (null, Unreadable("file", "the file must be a GeoJSON FeatureCollection."));
                case GeoJsonStatus.ValueTooLarge:
                    return (null, Unreadable(rows.Count == 0 ? "file" : $"rows[{rows.Count + 1}]",
                        $"a feature (or another value of the file) is larger than {MaxFeatureBytes} bytes; nothing was read after it."));
                case GeoJsonStatus.End:
                    return rows.Count == 0 ? (null, Unreadable("file", $"the collection must hold 1 to {TransferApi.MaxRows} features.")) : (rows, null);
            }

            if (rows.Count == TransferApi.MaxRows) return (null, TooMany());
            using (document)
            {
                rows.Add(Feature(document!.RootElement));
            }
        }
    }

    private static ImportRow Feature(JsonElement feature)
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

        return new ImportRow(id, new CameraRequest(Text("name"), Text("kind"), Text("region"), lat, lon, Text("address"), Text("settlement"), Text("siteType"),
            Text("owner"), capabilities, Text("controlCentre"), installedOn, Text("status"), Text("vendorClientId")), errors);
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
