using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.WebEncoders;
using PublicSafety.ServiceDefaults.Data;

namespace PublicSafety.Feedback.Pages;

/// <summary>
/// The citizens' pages (issue 18): server-rendered HTML over the same operations as the public JSON routes
/// (<see cref="Apis.CitizenOperations"/>), plain form posts with antiforgery tokens, texts in Kazakh, Russian and English.
/// The gateway exposes <see cref="Prefix"/> anonymously with the public routes' limits (per network, and a daily quota of form posts).
/// </summary>
public static class CitizenPages
{
    public const string Prefix = "/citizen";

    public static void AddCitizenPages(this IHostApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.AddRazorComponents();
        // Kazakh and Russian as UTF-8 text, not numeric character references: a third of the bytes on a slow connection.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(
            UnicodeRanges.BasicLatin, UnicodeRanges.Latin1Supplement, UnicodeRanges.Cyrillic, UnicodeRanges.CyrillicSupplement, UnicodeRanges.GeneralPunctuation));
        // Antiforgery tokens are protected with the key ring every replica shares.
        builder.AddDatabaseKeyRing();
        builder.Services.AddAntiforgery(o =>
        {
            // Neither name says anything about the person; the cookie is the only one besides the language choice.
            o.Cookie.Name = "csrf";
            o.Cookie.Path = Prefix;
            o.FormFieldName = "csrf";
            // The page headers below say DENY, stricter than antiforgery's SAMEORIGIN.
            o.SuppressXFrameOptionsHeader = true;
        });
        builder.Services.AddSingleton<CitizenAssets>();
        // A phone on a slow connection: the survey page's HTML goes from 11 KB to 3 KB. Not a BREACH oracle: a page echoes a
        // request's text beside a secret (the survey code) only for a post that carried this site's form token, which another
        // site cannot send, and the form token itself is encrypted afresh for every response.
        builder.Services.AddResponseCompression();
    }

    public static void MapCitizenPages(this WebApplication app)
    {
        app.UseWhen(c => c.Request.Path.StartsWithSegments(Prefix), pages => pages
            .UseResponseCompression()
            .UseRequestLocalization(Languages.Options())
            .Use(Languages.RememberChoice)
            .Use(PageHeaders.Apply));

        // HTML pages, not API operations: left out of the OpenAPI document. Antiforgery is checked by the filter, so that a
        // stale form gets a page that says what to do rather than a bare 400.
        var pages = app.MapGroup(Prefix).AllowAnonymous().ExcludeFromDescription().DisableAntiforgery().AddEndpointFilter(RequireAntiforgery);
        pages.MapGet("/", () => Html.Page<Views.HomePage>()).WithName("CitizenHome");
        pages.MapGet("/assets/{name}", (string name, string? v, CitizenAssets assets) => assets.Serve(name, v)).WithName("CitizenAsset");
        pages.MapSurveyPages();
        pages.MapFeedbackPages();
        pages.MapComplaintPages();
        pages.MapVenuePages();
        pages.MapFallback("{**path}", () => Html.Outcome(Outcomes.PageNotFound));
    }

    private static async ValueTask<object?> RequireAntiforgery(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method) && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            return Html.Outcome(Outcomes.FormExpired);
        }

        return await next(context);
    }
}
