using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace PublicSafety.Feedback.Pages;

/// <summary>
/// Kazakh (the state language, and the default), Russian and English. The choice comes from <c>?lang=</c> (the switch on every
/// page, remembered in a cookie), then that cookie, then the browser's Accept-Language; otherwise Kazakh.
/// </summary>
public static class Languages
{
    public const string Key = "lang";

    public static readonly IReadOnlyList<string> All = ["kk", "ru", "en"];

    public static string Current => CultureInfo.CurrentUICulture.Name is var name && All.Contains(name) ? name : All[0];

    public static RequestLocalizationOptions Options()
    {
        // Invariant globalization (Directory.Build.props) has no culture data; PredefinedCulturesOnly=false in the project
        // lets these exist by name, which is all that resource lookup needs. Dates are formatted by pattern (CitizenTexts).
        var cultures = All.Select(c => new CultureInfo(c)).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(All[0]),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
        };
        options.RequestCultureProviders =
        [
            new QueryStringRequestCultureProvider { QueryStringKey = Key, UIQueryStringKey = Key },
            new CookieRequestCultureProvider { CookieName = Key },
            new AcceptLanguageProvider(),
        ];
        return options;
    }

    /// <summary>A language chosen with the switch is kept for the next pages: the only cookie besides the form token.</summary>
    public static Task RememberChoice(HttpContext context, Func<Task> next)
    {
        var chosen = context.Request.Query[Key].ToString();
        if (All.Contains(chosen))
        {
            context.Response.Cookies.Append(Key, CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)), new CookieOptions
            {
                Path = CitizenPages.Prefix,
                MaxAge = TimeSpan.FromDays(365),
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                IsEssential = true,
            });
        }

        return next();
    }

    /// <summary>
    /// Accept-Language by primary language ("ru-RU" is Russian): without culture data the built-in provider knows no parents.
    /// </summary>
    private sealed class AcceptLanguageProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var ranked = httpContext.Request.GetTypedHeaders().AcceptLanguage
                .Where(l => l.Quality is not 0)
                .OrderByDescending(l => l.Quality ?? 1);
            foreach (var language in ranked)
            {
                var primary = language.Value.Value?.Split('-')[0].ToLowerInvariant();
                if (primary is not null && All.Contains(primary))
                {
                    return Task.FromResult<ProviderCultureResult?>(new ProviderCultureResult(primary));
                }
            }

            return NullProviderCultureResult;
        }
    }
}
