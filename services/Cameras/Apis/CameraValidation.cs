using PublicSafety.Cameras.Model;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Cameras.Apis;

/// <summary>Validation at the edge: every problem of a request, by field, before anything touches the database.</summary>
internal static class CameraValidation
{
    public const int MaxText = 500;

    public static Dictionary<string, string[]> Validate(CameraRequest r, bool creating, TimeProvider time)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];

        if (r.Kind is null || !CameraVocabulary.Kinds.Contains(r.Kind))
        {
            Fail("kind", $"kind is required, one of: {string.Join(", ", CameraVocabulary.Kinds)}.");
        }

        if (!Regions.IsValid(r.Region))
        {
            Fail("region", "region must be an ISO 3166-2:KZ region code, e.g. KZ-75.");
        }

        if (r.Latitude is not { } lat || !double.IsFinite(lat) || lat is < -90 or > 90)
        {
            Fail("latitude", "latitude is required, between -90 and 90.");
        }

        if (r.Longitude is not { } lon || !double.IsFinite(lon) || lon is < -180 or > 180)
        {
            Fail("longitude", "longitude is required, between -180 and 180.");
        }

        if (r.SiteType is not null && !CameraVocabulary.SiteTypes.Contains(r.SiteType))
        {
            Fail("siteType", $"siteType must be one of: {string.Join(", ", CameraVocabulary.SiteTypes)}.");
        }

        if (r.Owner is not null && !CameraVocabulary.Owners.Contains(r.Owner))
        {
            Fail("owner", $"owner must be one of: {string.Join(", ", CameraVocabulary.Owners)}.");
        }

        if (r.Capabilities is { } capabilities && capabilities.Any(c => c is null || !CameraVocabulary.Capabilities.Contains(c)))
        {
            Fail("capabilities", $"capabilities must be among: {string.Join(", ", CameraVocabulary.Capabilities)}.");
        }

        foreach (var (field, value) in new[] { ("name", r.Name), ("address", r.Address), ("settlement", r.Settlement), ("controlCentre", r.ControlCentre) })
        {
            errors.CheckText(field, value);
        }

        if (r.VendorClientId is not null && !IsClientId(r.VendorClientId))
        {
            Fail("vendorClientId", "vendorClientId must be a Keycloak client id: 1 to 255 letters, digits, '.', '_' or '-'.");
        }

        if (r.InstalledOn is { } installed && (installed.Year < 1990 || installed > Kazakhstan.LocalDate(time.GetUtcNow()).AddYears(1)))
        {
            Fail("installedOn", "installedOn must be a date between 1990 and a year from now.");
        }

        if (creating && r.Status is not null && !Lifecycle.InitialStatuses.Contains(r.Status))
        {
            Fail("status", $"a camera is registered as one of: {string.Join(", ", Lifecycle.InitialStatuses)}; later changes go through transitions.");
        }

        if (!creating && r.Status is not null)
        {
            Fail("status", "status changes go through POST /api/cameras/{id}/transitions.");
        }

        return errors;
    }

    /// <summary>
    /// A free-text field: not blank if <paramref name="required"/>, at most <see cref="MaxText"/> characters, and plain text
    /// (<see cref="PlainText"/>), with line breaks and tabs only in <paramref name="multiline"/> text.
    /// </summary>
    public static void CheckText(this Dictionary<string, string[]> errors, string field, string? value, bool required = false, bool multiline = false)
    {
        if ((required && string.IsNullOrWhiteSpace(value)) || value is { Length: > MaxText })
        {
            errors[field] = [required ? $"{field} is required, at most {MaxText} characters." : $"{field} must be at most {MaxText} characters."];
        }
        else if (!PlainText.IsClean(value, allowLineBreaks: multiline))
        {
            errors[field] = [multiline ? $"{field} must not contain control characters other than line breaks and tabs." : $"{field} must not contain control characters."];
        }
    }

    public static bool IsClientId(string value) =>
        value.Length is > 0 and <= 255 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>rtsp(s) or http(s) absolute URL. The message never echoes the value: it carries credentials.</summary>
    public static Dictionary<string, string[]> Validate(StreamEndpointRequest r)
    {
        var ok = r.Url is { Length: > 0 and <= 2000 } url && Uri.TryCreate(url, UriKind.Absolute, out var uri)
                 && uri.Scheme is "rtsp" or "rtsps" or "http" or "https" && !string.IsNullOrEmpty(uri.Host);
        return ok ? [] : new() { ["url"] = ["url is required: an absolute rtsp, rtsps, http or https URL of at most 2000 characters."] };
    }
}
