using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Cameras.Infrastructure;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Apis;

/// <summary>
/// Bulk import and export, CSV and GeoJSON. An import is all or nothing: any bad row rejects the file with a report of
/// every bad row. An import only registers cameras: a row whose id names a registered camera is a bad row, so importing an
/// export again never duplicates it; an id not yet registered becomes the new camera's id. Exports never carry stream endpoints.
/// </summary>
public static class TransferApi
{
    public const int MaxRows = 50_000;
    public const int MaxBytes = 32 * 1024 * 1024;

    internal static readonly string[] CsvColumns =
        ["id", "name", "kind", "status", "region", "latitude", "longitude", "address", "settlement", "site_type", "owner", "capabilities",
         "control_centre", "installed_on", "health", "last_seen_at", "vendor_client_id"];

    private const string TakenId = "a camera with this id is already registered; an import only registers new cameras (change one with PUT /api/cameras/{id}).";

    public static RouteGroupBuilder MapTransferApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/cameras").WithTags("Import and export");
        api.MapGet("/export", Export).RequireAuthorization(Roles.CamerasRead).WithName("ExportCameras")
            .WithSummary("All cameras in the caller's scope as CSV (format=csv) or GeoJSON (format=geojson)");
        api.MapPost("/import", ImportAsync).RequireAuthorization(Roles.CamerasManage).WithName("ImportCameras")
            .WithSummary("Registers cameras from CSV or GeoJSON, all or nothing, with a report of every bad row");
        return api;
    }

    public static Results<PushStreamHttpResult, ValidationProblem> Export(ClaimsPrincipal user, CameraStore store, HttpContext http, string format = "csv")
    {
        var scope = CamerasApi.Scope(user);
        var ct = http.RequestAborted;
        return format switch
        {
            "csv" => TypedResults.Stream(async body => await WriteCsvAsync(body, store.AllAsync(scope, ct)), "text/csv; charset=utf-8", "cameras.csv"),
            "geojson" => TypedResults.Stream(async body => await WriteGeoJsonAsync(body, store.AllAsync(scope, ct)), "application/geo+json", "cameras.geojson"),
            _ => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format must be csv or geojson."] }),
        };
    }

    public static async Task<Results<Ok<ImportResult>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        HttpRequest http, ClaimsPrincipal user, CameraStore store, TimeProvider time, CancellationToken ct, string format = "csv")
    {
        if (format is not ("csv" or "geojson"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["format must be csv or geojson."] });
        }

        if (http.ContentLength > MaxBytes)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large", detail: $"At most {MaxBytes} bytes.");
        }

        // Kestrel's default body limit (30,000,000 bytes) is below the file size this endpoint promises.
        if (http.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = MaxBytes;
        }

        // Read as it arrives, with every limit checked on the way: a refused file is answered without reading the rest of it.
        List<ImportRow>? parsed;
        FileRefusal? refusal;
        try
        {
            (parsed, refusal) = format == "csv" ? await CameraFileReader.ReadCsvAsync(http.Body, ct) : await CameraFileReader.ReadGeoJsonAsync(http.Body, ct);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "File too large", detail: $"At most {MaxBytes} bytes.");
        }

        if (refusal is not null)
        {
            return refusal.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? TypedResults.Problem(statusCode: refusal.StatusCode, title: "Too many cameras", detail: refusal.Message + " Nothing was imported.")
                : TypedResults.ValidationProblem(new Dictionary<string, string[]> { [refusal.Field] = [refusal.Message] }, detail: "Nothing was imported.");
        }

        var rows = parsed!;
        var errors = new Dictionary<string, string[]>();
        void Add(int row, string field, string[] messages)
        {
            var key = $"rows[{row + 1}].{field}";
            errors[key] = errors.TryGetValue(key, out var earlier) ? [.. earlier, .. messages] : messages;
        }

        // Ids are unique across regions, so a taken id is reported whichever region its camera is in; a random UUID tells
        // nobody more than that.
        var taken = await store.ExistingIdsAsync(rows.Where(r => r.Id is not null).Select(r => r.Id!.Value).ToArray(), ct);
        var firstRowOf = new Dictionary<Guid, int>();
        for (var i = 0; i < rows.Count; i++)
        {
            var (id, camera, rowErrors) = rows[i];
            // A value that did not parse is also missing to validation: report both rather than the second alone.
            foreach (var (field, messages) in rowErrors.Concat(camera is null ? [] : CameraValidation.Validate(camera, creating: true, time)))
            {
                Add(i, field, messages);
            }

            if (camera?.Region is { } region && Regions.IsValid(region) && !user.CanAccessRegion(region))
            {
                errors[$"rows[{i + 1}].region"] = ["the caller may only import cameras of its own region."];
            }

            if (id is { } given)
            {
                if (taken.Contains(given)) Add(i, "id", [TakenId]);
                else if (!firstRowOf.TryAdd(given, i)) Add(i, "id", [$"the id is also on row {firstRowOf[given] + 1}."]);
            }
        }

        if (errors.Count > 0)
        {
            return Invalid(errors, rows.Count);
        }

        var (imported, takenRow) = await store.ImportAsync(rows.Select(r => (r.Id, r.Camera!)).ToArray(), CamerasApi.Actor(user), ct);
        if (takenRow is { } row)
        {
            // Registered by someone else between the check above and the insert.
            return Invalid(new() { [$"rows[{row + 1}].id"] = [TakenId] }, rows.Count);
        }

        return TypedResults.Ok(new ImportResult(imported));
    }

    private static ValidationProblem Invalid(Dictionary<string, string[]> errors, int rows)
    {
        var bad = errors.Keys.Select(k => k[..k.IndexOf(']')]).Distinct().Count();
        return TypedResults.ValidationProblem(errors, detail: $"{bad} of {rows} rows are invalid; nothing was imported.");
    }

    private static async Task WriteCsvAsync(Stream body, IAsyncEnumerable<CameraResponse> cameras)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false));
        await writer.WriteAsync(string.Join(",", CsvColumns) + "\r\n");
        await foreach (var c in cameras)
        {
            string[] fields =
            [
                c.Id.ToString(), Csv.Field(c.Name), c.Kind, c.Status, c.Region, c.Latitude.ToString("R", CultureInfo.InvariantCulture),
                c.Longitude.ToString("R", CultureInfo.InvariantCulture), Csv.Field(c.Address), Csv.Field(c.Settlement), c.SiteType ?? "", c.Owner ?? "",
                string.Join(';', c.Capabilities), Csv.Field(c.ControlCentre), c.InstalledOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "",
                c.Health, c.LastSeenAt?.ToString("O", CultureInfo.InvariantCulture) ?? "", c.VendorClientId ?? "",
            ];
            await writer.WriteAsync(string.Join(",", fields) + "\r\n");
        }
    }

    private static async Task WriteGeoJsonAsync(Stream body, IAsyncEnumerable<CameraResponse> cameras)
    {
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartObject();
        json.WriteString("type", "FeatureCollection");
        json.WriteStartArray("features");
        await foreach (var c in cameras)
        {
            json.WriteStartObject();
            json.WriteString("type", "Feature");
            json.WriteString("id", c.Id);
            json.WriteStartObject("geometry");
            json.WriteString("type", "Point");
            json.WriteStartArray("coordinates");
            json.WriteNumberValue(c.Longitude);
            json.WriteNumberValue(c.Latitude);
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("properties");
            json.WriteString("name", c.Name);
            json.WriteString("kind", c.Kind);
            json.WriteString("status", c.Status);
            json.WriteString("region", c.Region);
            json.WriteString("address", c.Address);
            json.WriteString("settlement", c.Settlement);
            json.WriteString("siteType", c.SiteType);
            json.WriteString("owner", c.Owner);
            json.WriteStartArray("capabilities");
            foreach (var capability in c.Capabilities) json.WriteStringValue(capability);
            json.WriteEndArray();
            json.WriteString("controlCentre", c.ControlCentre);
            json.WriteString("installedOn", c.InstalledOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            json.WriteString("health", c.Health);
            json.WriteString("vendorClientId", c.VendorClientId);
            json.WriteEndObject();
            json.WriteEndObject();
            if (json.BytesPending > 32 * 1024) await json.FlushAsync();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync();
    }
}

public sealed record ImportResult(int Imported);
