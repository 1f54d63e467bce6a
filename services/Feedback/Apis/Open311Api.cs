using System.Globalization;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Feedback.Apis;

/// <summary>
/// Open311 GeoReport v2 (JSON format) over complaints about police conduct, so that existing civic-feedback clients can
/// submit to the platform: the service list with attribute definitions, request submission (form-encoded, as the spec
/// says) and request status with notes and a history. The service request id is the complaint's reference code.
/// Deviations, on purpose: no api_key (the route is anonymous and rate-limited per IP by the gateway), contact fields
/// (email, phone, first_name, last_name, device_id, account_id) are accepted but discarded, never stored, and errors are
/// RFC 9457 problems like the rest of the platform rather than Open311's error array.
/// </summary>
public static class Open311Api
{
    public const string Prefix = "/api/feedback/public/open311/v2";
    public const string ServiceCode = "police-conduct";
    private const string ServiceName = "Complaint about police conduct";
    private const string Agency = "Ministry of Internal Affairs of the Republic of Kazakhstan";

    public static RouteGroupBuilder MapOpen311Api(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix).WithTags("Open311").AllowAnonymous();
        group.MapGet("/services.json", Services).WithName("Open311Services").WithSummary("GeoReport v2 service list.");
        group.MapGet("/services/{code}.json", Definition).WithName("Open311ServiceDefinition").WithSummary("GeoReport v2 service definition (attributes).");
        group.MapPost("/requests.json", Submit).WithName("Open311SubmitRequest").WithSummary("GeoReport v2 request submission (form-encoded).");
        group.MapGet("/requests/{id}.json", Status).WithName("Open311GetRequest").WithSummary("GeoReport v2 request with status notes and history.");
        return group;
    }

    public sealed record Service(
        [property: JsonPropertyName("service_code")] string ServiceCode, [property: JsonPropertyName("service_name")] string ServiceName,
        [property: JsonPropertyName("description")] string Description, [property: JsonPropertyName("metadata")] bool Metadata,
        [property: JsonPropertyName("type")] string Type, [property: JsonPropertyName("keywords")] string Keywords,
        [property: JsonPropertyName("group")] string Group);

    public sealed record AttributeValue([property: JsonPropertyName("key")] string Key, [property: JsonPropertyName("name")] string Name);

    public sealed record Attribute(
        [property: JsonPropertyName("variable")] bool Variable, [property: JsonPropertyName("code")] string Code,
        [property: JsonPropertyName("datatype")] string Datatype, [property: JsonPropertyName("required")] bool Required,
        [property: JsonPropertyName("datatype_description")] string DatatypeDescription, [property: JsonPropertyName("order")] int Order,
        [property: JsonPropertyName("description")] string Description,
        [property: JsonPropertyName("values")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<AttributeValue>? Values);

    public sealed record ServiceDefinition(
        [property: JsonPropertyName("service_code")] string ServiceCode, [property: JsonPropertyName("attributes")] IReadOnlyList<Attribute> Attributes);

    public sealed record SubmitResult(
        [property: JsonPropertyName("service_request_id")] string ServiceRequestId, [property: JsonPropertyName("service_notice")] string ServiceNotice,
        [property: JsonPropertyName("account_id")] string? AccountId);

    public sealed record HistoryEntry(
        [property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("status_notes")] string StatusNotes,
        [property: JsonPropertyName("datetime")] DateTimeOffset Datetime);

    public sealed record ServiceRequest(
        [property: JsonPropertyName("service_request_id")] string ServiceRequestId, [property: JsonPropertyName("status")] string Status,
        [property: JsonPropertyName("status_notes")] string StatusNotes, [property: JsonPropertyName("service_name")] string ServiceName,
        [property: JsonPropertyName("service_code")] string ServiceCode, [property: JsonPropertyName("agency_responsible")] string AgencyResponsible,
        [property: JsonPropertyName("requested_datetime")] DateTimeOffset RequestedDatetime,
        [property: JsonPropertyName("updated_datetime")] DateTimeOffset UpdatedDatetime,
        [property: JsonPropertyName("expected_datetime")] DateTimeOffset ExpectedDatetime,
        [property: JsonPropertyName("status_history")] IReadOnlyList<HistoryEntry> StatusHistory);

    private static Ok<Service[]> Services() => TypedResults.Ok(new[]
    {
        new Service(ServiceCode, ServiceName,
            "Rudeness, inaction, unlawful detention, excessive force, corruption or another violation by police officers. Reviewed within the deadline; follow it by the request id.",
            true, "realtime", "police, complaint, conduct", "Police"),
    });

    private static Results<Ok<ServiceDefinition>, ProblemHttpResult> Definition(string code) =>
        code == ServiceCode ? TypedResults.Ok(new ServiceDefinition(ServiceCode, Attributes)) : Problems.NotFound("Service");

    private static readonly IReadOnlyList<Attribute> Attributes =
    [
        new(true, "region", "singlevaluelist", true, "The region where it happened.", 1, "Region",
            Regions.Names.Select(r => new AttributeValue(r.Key, r.Value)).ToArray()),
        new(true, "unit", "string", true, "The police unit (department, station or patrol) complained about, up to 200 characters.", 2, "Police unit", null),
        new(true, "category", "singlevaluelist", true, "What the complaint is about.", 3, "Category",
            ComplaintCategories.All.Select(c => new AttributeValue(c, c.Replace('_', ' '))).ToArray()),
        new(true, "incident_datetime", "datetime", false, "When it happened (ISO 8601; without an offset, Kazakhstan time, UTC+5).", 4,
            "Date and time of the incident", null),
    ];

    /// <summary>
    /// An ISO 8601 time in UTC. GeoReport v2 clients often send the wall-clock time without an offset; the citizens who
    /// use them are in Kazakhstan, so such a time is Kazakhstan's, not UTC (which would put the incident 5 hours late).
    /// </summary>
    private static bool TryParseTime(string text, out DateTimeOffset at)
    {
        var culture = CultureInfo.InvariantCulture;
        if (!DateTimeOffset.TryParse(text, culture, DateTimeStyles.AssumeUniversal, out at))
        {
            return false;
        }

        if (DateTime.TryParse(text, culture, DateTimeStyles.RoundtripKind, out var wall) && wall.Kind == DateTimeKind.Unspecified)
        {
            // The first five hours of year 1 in Kazakhstan are before any UTC time.
            if (wall < DateTime.MinValue + Kazakhstan.Offset) return false;
            at = new DateTimeOffset(wall, Kazakhstan.Offset);
        }

        at = at.ToUniversalTime();
        return true;
    }

    private static async Task<Results<Ok<SubmitResult[]>, ValidationProblem, ProblemHttpResult>> Submit(
        HttpRequest http, ComplaintStore store, TimeProvider clock, CancellationToken ct)
    {
        if (!http.HasFormContentType)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Form expected",
                detail: "GeoReport v2 requests are posted as application/x-www-form-urlencoded.");
        }

        IFormCollection form;
        try
        {
            form = await http.ReadFormAsync(ct);
        }
        catch (InvalidDataException)
        {
            // An encoded NUL (%00), or more fields or longer values than the form limits allow: the client's form is bad.
            return Problems.Invalid("form", "The form could not be read: it holds a NUL character or exceeds the form limits.");
        }

        if (form["service_code"].ToString() != ServiceCode)
        {
            return Problems.Invalid("service_code", $"service_code must be {ServiceCode} (see services.json).");
        }

        DateTimeOffset? incident = null;
        var incidentText = form["attribute[incident_datetime]"].ToString();
        var errors = new Dictionary<string, string[]>();
        if (incidentText.Length > 0)
        {
            if (TryParseTime(incidentText, out var at))
                incident = at;
            else
                errors["attribute[incident_datetime]"] = ["attribute[incident_datetime] must be an ISO 8601 date and time."];
        }

        var request = new ComplaintRequest(Value(form, "attribute[region]"), Value(form, "attribute[unit]"), Value(form, "attribute[category]"),
            Value(form, "description"), incident);
        foreach (var (key, value) in Validation.Complaint(request, clock.GetUtcNow()))
        {
            errors[key is "description" ? key : $"attribute[{(key == "incidentAt" ? "incident_datetime" : key)}]"] = value;
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        // Contact fields of the spec are deliberately not read: the platform stores no contact details.
        var data = new ComplaintData(request.Region!.ToUpperInvariant(), request.Unit!.Trim(), request.Category!, CommentText.Masked(request.Description)!,
            incident, "open311", "citizen");
        var complaint = ((ComplaintOutcome.Done)await store.CreateAsync(data, ct)).Complaint;
        return TypedResults.Ok(new[]
        {
            new SubmitResult(complaint.ReferenceCode,
                $"Received. Follow it with this id; it is reviewed by {complaint.DueAt:yyyy-MM-dd}. Contact details are not kept.", null),
        });
    }

    private static async Task<Results<Ok<ServiceRequest[]>, ProblemHttpResult>> Status(string id, ComplaintStore store, CancellationToken ct)
    {
        var code = id.ToUpperInvariant();
        if (!ReferenceCode.IsWellFormed(code) || await store.GetByReferenceAsync(code, ct) is not { } c)
        {
            return Problems.NotFound("Service request");
        }

        return TypedResults.Ok(new[]
        {
            new ServiceRequest(c.ReferenceCode, c.IsOpen ? "open" : "closed", StatusNotes.For(c.Status, c.Outcome), ServiceName, ServiceCode, Agency,
                c.ReceivedAt, c.UpdatedAt, c.DueAt,
                c.Steps.Select(s => new HistoryEntry(ComplaintStatuses.Open.Contains(s.Status) ? "open" : "closed", StatusNotes.For(s.Status, null), s.At)).ToArray()),
        });
    }

    private static string? Value(IFormCollection form, string key) => form.TryGetValue(key, out var v) ? v.ToString() : null;
}
