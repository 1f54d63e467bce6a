using System.Diagnostics.CodeAnalysis;
using PublicSafety.RoadSafety.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.RoadSafety.Apis;

/// <summary>Every problem of a registry request, by field, before anything touches the database.</summary>
internal static class DeviceValidation
{
    public const int MaxText = 200;

    public static Dictionary<string, string[]> Validate(DeviceRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        if (r.Kind is null || !Vocabulary.DeviceKinds.Contains(r.Kind)) Fail("kind", $"kind is required, one of: {string.Join(", ", Vocabulary.DeviceKinds)}.");
        if (!Regions.IsValid(r.Region)) Fail("region", "region must be an ISO 3166-2:KZ region code, e.g. KZ-31.");
        if (r.Owner is null || !Vocabulary.Owners.Contains(r.Owner)) Fail("owner", $"owner is required, one of: {string.Join(", ", Vocabulary.Owners)}.");
        foreach (var (field, value) in new[]
                 {
                     ("vendorClientId", r.VendorClientId), ("vendor", r.Vendor), ("model", r.Model), ("serialNumber", r.SerialNumber), ("approvalNumber", r.ApprovalNumber),
                 })
        {
            if (!Text(value, MaxText, required: true)) Fail(field, $"{field} is required, at most {MaxText} characters without control characters.");
        }

        foreach (var (field, value) in new[] { ("road", r.Road), ("patrolVehicle", r.PatrolVehicle) })
        {
            if (!Text(value, MaxText, required: false)) Fail(field, $"{field} must be at most {MaxText} characters without control characters.");
        }

        if (r.ApprovalValidUntil is not { Year: >= 2000 and <= 2100 }) Fail("approvalValidUntil", "approvalValidUntil (the type-approval register entry's end date) is required.");
        if (r.Direction is not null && !Vocabulary.Directions.Contains(r.Direction)) Fail("direction", $"direction must be one of: {string.Join(", ", Vocabulary.Directions)}.");
        if (r.KmMarker is < 0 or > 10_000) Fail("kmMarker", "kmMarker must be between 0 and 10000.");
        var hasPoint = r.Latitude is not null || r.Longitude is not null;
        if (hasPoint && !Problems.InKazakhstan(r.Latitude, r.Longitude)) Fail("latitude", $"latitude and longitude go together, within Kazakhstan ({Kazakhstan.Bounds}).");
        if (r.Kind is { } kind && Vocabulary.DeviceKinds.Contains(kind))
        {
            if (kind == "mobile" && string.IsNullOrWhiteSpace(r.PatrolVehicle)) Fail("patrolVehicle", "a car-mounted complex is assigned to a patrol vehicle.");
            if (kind != "mobile" && !hasPoint) Fail("latitude", "a stationary device needs its coordinates.");
            if (kind != "mobile" && r.PatrolVehicle is not null) Fail("patrolVehicle", "only car-mounted complexes have a patrol vehicle.");
        }

        if (r.Status is not null && !Lifecycle.InitialStatuses.Contains(r.Status))
        {
            Fail("status", $"a device is registered as one of: {string.Join(", ", Lifecycle.InitialStatuses)}; later changes go through transitions.");
        }

        if (r.InstalledOn is { Year: < 2000 or > 2100 }) Fail("installedOn", "installedOn must be a date between 2000 and 2100.");
        if (r.CommissionedOn is { Year: < 2000 or > 2100 }) Fail("commissionedOn", "commissionedOn must be a date between 2000 and 2100.");
        return errors;
    }

    public static Dictionary<string, string[]> Validate(VerificationRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Text(r.CertificateNumber, MaxText, required: true)) errors["certificateNumber"] = [$"certificateNumber is required, at most {MaxText} characters without control characters."];
        if (!Text(r.VerifyingBody, MaxText, required: true)) errors["verifyingBody"] = [$"verifyingBody is required, at most {MaxText} characters without control characters."];
        if (r.VerifiedAt is not { Year: >= 2000 and <= 2100 }) errors["verifiedAt"] = ["verifiedAt is required."];
        if (r.ValidUntil is not { Year: >= 2000 and <= 2100 }) errors["validUntil"] = ["validUntil is required."];
        else if (r.VerifiedAt is { } from && r.ValidUntil <= from) errors["validUntil"] = ["validUntil must be after verifiedAt."];
        return errors;
    }

    public static Dictionary<string, string[]> Validate(RouteRequest r)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Text(r.Road, MaxText, required: true)) errors["road"] = [$"road is required, at most {MaxText} characters without control characters."];
        if (r.StartedAt is not { Year: >= 2000 and <= 2100 }) errors["startedAt"] = ["startedAt is required."];
        if (r.EndedAt is not { Year: >= 2000 and <= 2100 }) errors["endedAt"] = ["endedAt is required."];
        else if (r.StartedAt is { } from && r.EndedAt <= from) errors["endedAt"] = ["endedAt must be after startedAt."];
        if (!Text(r.Description, 1000, required: false, lineBreaks: true)) errors["description"] = ["description must be at most 1000 characters without control characters."];
        return errors;
    }

    /// <summary>
    /// A text field: within its length and free of NUL and other control characters (PostgreSQL refuses NUL: it would be a
    /// 500); free text may have line breaks. Blank counts as missing when the field is required.
    /// </summary>
    public static bool Text(string? value, int max, bool required, bool lineBreaks = false) =>
        value is null ? !required : (!required || !string.IsNullOrWhiteSpace(value)) && value.Length <= max && PlainText.IsClean(value, lineBreaks);

    /// <summary>Times of the registry and the queries are between 2000 and 2100, in whatever offset the caller gives them.</summary>
    public static bool InRange([NotNullWhen(true)] DateTimeOffset? at) => at is { Year: >= 2000 and <= 2100 };
}
