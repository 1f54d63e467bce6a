using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Localization;
using PublicSafety.Feedback.Infrastructure;
using PublicSafety.Feedback.Pages.Views;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Feedback.Pages;

/// <summary>The published venue safety rating of one region (action plan 5.2), the latest half-year: a plain GET form, so it can be bookmarked.</summary>
internal static class VenuePages
{
    public static void MapVenuePages(this RouteGroupBuilder pages) =>
        pages.MapGet("/venues", Show).WithName("VenueRatingPage");

    private static async Task<RazorComponentResult> Show(string? region, VenueStore store, IStringLocalizer<CitizenTexts> l, CancellationToken ct)
    {
        if (region is null)
        {
            return Html.Page<VenuesPage>();
        }

        if (!Regions.IsValid(region))
        {
            return Html.Page<VenuesPage>(new { Errors = PageErrors.One("region", l["ErrorRegion"]) }, StatusCodes.Status400BadRequest);
        }

        var code = region.ToUpperInvariant();
        var (period, ratings) = await store.PublishedAsync(null, code, ct);
        return Html.Page<VenuesPage>(new { Region = code, Period = period, Ratings = ratings });
    }
}
