using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.CrisisCapacity.Apis;

/// <summary>Checks at the edge. Messages never echo the value: it may be a case code or an address.</summary>
internal static class Validation
{
    public const int MaxText = 300;
    public const int MaxBedsPerCategory = 5000;

    public static (FacilityData? Data, Dictionary<string, string[]> Errors) Facility(FacilityRequest? r)
    {
        var e = new Dictionary<string, string[]>();
        if (r is null)
        {
            e["body"] = ["A facility is required."];
            return (null, e);
        }

        if (!FacilityKinds.IsValid(r.Kind)) e["kind"] = [$"kind must be one of {string.Join(", ", FacilityKinds.All)}."];
        Text(e, "name", r.Name, required: true);
        if (!Regions.IsValid(r.Region)) e["region"] = ["region must be an ISO 3166-2:KZ region code, e.g. KZ-75."];
        Text(e, "settlement", r.Settlement, required: true);
        Text(e, "confidentialAddress", r.ConfidentialAddress, required: true, multiline: true);
        Text(e, "phone", r.Phone, required: false);
        Text(e, "email", r.Email, required: false);
        if (r.Latitude is not { } lat || r.Longitude is not { } lon || !Kazakhstan.Contains(lat, lon))
        {
            e["latitude"] = [$"latitude and longitude are required, within Kazakhstan ({Kazakhstan.Bounds})."];
        }
        if (r.Services is null) e["services"] = ["services is required."];
        if (r.OpenAtNight is null) e["openAtNight"] = ["openAtNight is required."];
        var beds = new List<BedCount>();
        if (r.Beds is null || r.Beds.Count == 0)
        {
            e["beds"] = ["beds must list at least one category."];
        }
        else
        {
            for (var i = 0; i < r.Beds.Count; i++)
            {
                var b = r.Beds[i];
                if (b is null || !BedCategories.IsValid(b.Category))
                    e[$"beds[{i}].category"] = [$"category must be one of {string.Join(", ", BedCategories.All)}."];
                else if (beds.Any(x => x.Category == b.Category))
                    e[$"beds[{i}].category"] = ["Each category may appear once."];
                else if (b.Total is not { } total || total is < 0 or > MaxBedsPerCategory)
                    e[$"beds[{i}].total"] = [$"total must be between 0 and {MaxBedsPerCategory}."];
                else if (b.OutOfService is { } oos && (oos < 0 || oos > total))
                    e[$"beds[{i}].outOfService"] = ["outOfService must be between 0 and total."];
                else
                    beds.Add(new BedCount(b.Category!, total, b.OutOfService ?? 0));
            }
        }

        if (e.Count > 0)
        {
            return (null, e);
        }

        var s = r.Services!;
        return (new FacilityData(r.Kind!, r.Name!.Trim(), r.Region!.ToUpperInvariant(), r.Settlement!.Trim(), r.Latitude!.Value, r.Longitude!.Value,
            r.ConfidentialAddress!.Trim(), r.Phone, r.Email,
            new FacilityServices(s.Psychologist, s.Lawyer, s.MedicalCare, s.AcceptsChildren, s.Accessible), r.OpenAtNight!.Value, beds), e);
    }

    public static Dictionary<string, string[]> Reservation(ReservationRequest? r, string? idempotencyKey)
    {
        var e = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 100 || !PlainText.IsClean(idempotencyKey))
            e["Idempotency-Key"] = ["The Idempotency-Key header is required (1 to 100 characters)."];
        if (r is null)
        {
            e["body"] = ["A reservation is required."];
            return e;
        }

        if (r.FacilityId is null || r.FacilityId == Guid.Empty) e["facilityId"] = ["facilityId is required."];
        if (!BedCategories.IsValid(r.Category)) e["category"] = [$"category must be one of {string.Join(", ", BedCategories.All)}."];
        if (!CaseCode.IsValid(r.CaseCode)) e["caseCode"] = ["caseCode must be a pseudonymous case code such as CC-2026-00A17F (never a name or an IIN)."];
        if (r.Beds is < 1 or > 12) e["beds"] = ["beds must be between 1 and 12 (the person and accompanying children)."];
        return e;
    }

    public static Dictionary<string, string[]> Admission(AdmissionRequest? r, string? idempotencyKey)
    {
        var e = Reservation(r is null ? null : new ReservationRequest(r.FacilityId, r.Category, r.CaseCode, 1), idempotencyKey);
        foreach (var (key, value) in Placement(r is null ? null : new PlacementRequest(r.ChildrenAges)))
        {
            e[key] = value;
        }

        return e;
    }

    public static Dictionary<string, string[]> Placement(PlacementRequest? r)
    {
        var e = new Dictionary<string, string[]>();
        if (r?.ChildrenAges is { } ages && (ages.Count > 11 || ages.Any(a => a is < 0 or > 17)))
            e["childrenAges"] = ["childrenAges lists at most 11 ages, each between 0 and 17."];
        return e;
    }

    public static Dictionary<string, string[]> Discharge(DischargeRequest? r)
    {
        var e = new Dictionary<string, string[]>();
        if (!DischargeReasons.IsValid(r?.Reason)) e["reason"] = [$"reason must be one of {string.Join(", ", DischargeReasons.All)}."];
        if (r?.SafeChannel is { } channel)
        {
            if (!SafeChannels.IsValid(channel)) e["safeChannel"] = [$"safeChannel must be one of {string.Join(", ", SafeChannels.All)} (the kind only, never the contact)."];
            else if (r.SurveyConsent != true) e["safeChannel"] = ["safeChannel is recorded only when surveyConsent is true."];
        }

        return e;
    }

    /// <summary>
    /// Text that PostgreSQL can store (<see cref="PlainText"/>: no NUL, no other control characters, no lone surrogates);
    /// an address may run over several lines.
    /// </summary>
    private static void Text(Dictionary<string, string[]> e, string field, string? value, bool required, bool multiline = false)
    {
        if (required && string.IsNullOrWhiteSpace(value)) e[field] = [$"{field} is required."];
        else if (value is not null && value.Length > MaxText) e[field] = [$"{field} must be at most {MaxText} characters."];
        else if (!PlainText.IsClean(value, allowLineBreaks: multiline)) e[field] = [$"{field} must not contain control characters."];
    }
}
