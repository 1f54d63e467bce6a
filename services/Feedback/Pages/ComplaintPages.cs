using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using PublicSafety.Feedback.Apis;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Model;
using PublicSafety.Feedback.Pages.Views;
using PublicSafety.ServiceDefaults;

namespace PublicSafety.Feedback.Pages;

/// <summary>
/// Filing a complaint and following it by reference code. The form carries an Idempotency-Key made by the server when the
/// form is shown: a double tap, a reload of the result or a retry over a bad connection files one complaint and shows its
/// receipt again. The code is looked up by a form post, so it stays out of addresses, history and access logs.
/// </summary>
internal static class ComplaintPages
{
    public static void MapComplaintPages(this RouteGroupBuilder pages)
    {
        pages.MapGet("/complaint", () => Html.Page<ComplaintPage>(new { Key = NewKey() })).WithName("ComplaintPage");
        pages.MapPost("/complaint", File).WithName("FileComplaintPage");
        pages.MapGet("/complaint/status", () => Html.Page<ComplaintStatusPage>()).WithName("ComplaintStatusPage");
        pages.MapPost("/complaint/status", Status).WithName("ShowComplaintStatusPage");
    }

    private static async Task<RazorComponentResult> File(
        IFormCollection form, ComplaintStore store, TimeProvider clock, IStringLocalizer<CitizenTexts> l, CancellationToken ct)
    {
        var key = Html.Text(form, "key");
        var incidentAt = IncidentAt(Html.Text(form, "incidentDate"), Html.Text(form, "incidentTime"));
        var request = new ComplaintRequest(Html.Text(form, "region"), Html.Text(form, "unit"), Html.Text(form, "category"),
            Html.Text(form, "description"), incidentAt);
        var (errors, outcome) = await CitizenOperations.FileComplaintAsync(request, key, store, clock, ct);
        if (incidentAt is null && Html.Text(form, "incidentDate") is not null)
        {
            errors["incidentAt"] = ["not a date"];
        }

        if (errors.Count > 0)
        {
            // A key that is not the form's own (altered by hand) is replaced: nothing was filed with it.
            var keep = errors.Remove("Idempotency-Key") ? NewKey() : key ?? NewKey();
            return Html.Page<ComplaintPage>(new { Key = keep, Values = Html.Values(form), Errors = Errors(errors, l) },
                StatusCodes.Status400BadRequest);
        }

        return outcome switch
        {
            ComplaintOutcome.Done d => Html.Page<ComplaintReceiptPage>(new { Complaint = d.Complaint }),
            ComplaintOutcome.Repeated r => Html.Page<ComplaintReceiptPage>(new { Complaint = r.Complaint }),
            _ => Html.Outcome(Outcomes.ComplaintFormReused),
        };
    }

    private static async Task<RazorComponentResult> Status(IFormCollection form, ComplaintStore store, IStringLocalizer<CitizenTexts> l, CancellationToken ct)
    {
        var code = Html.Text(form, "code");
        return await CitizenOperations.ComplaintStatusAsync(code, store, ct) is { } status
            ? Html.Page<ComplaintStatusPage>(new { Status = status })
            : Html.Page<ComplaintStatusPage>(new { Code = code, Errors = PageErrors.One("code", l["ErrorReferenceCode"]) }, StatusCodes.Status404NotFound);
    }

    /// <summary>A fresh key for one complaint form: 128 random bits.</summary>
    private static string NewKey() => Guid.NewGuid().ToString("N");

    /// <summary>The date (and time, if given) on Kazakhstan's clock, as the citizen reads it off a calendar; null when absent or not a date.</summary>
    private static DateTimeOffset? IncidentAt(string? date, string? time)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return null;
        }

        var at = TimeOnly.TryParseExact(time, ["HH:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : TimeOnly.MinValue;
        return new DateTimeOffset(day.ToDateTime(at), Kazakhstan.Offset);
    }

    private static PageErrors Errors(Dictionary<string, string[]> errors, IStringLocalizer<CitizenTexts> l)
    {
        // The date is two fields on the page; its error belongs to the first.
        if (errors.Remove("incidentAt", out var incident))
        {
            errors["incidentDate"] = incident;
        }

        return PageErrors.From(errors, l, unitRequired: true);
    }
}
