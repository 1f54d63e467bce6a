using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PublicSafety.CitizenPages.Tests;

/// <summary>
/// One browser profile and tab. It records every request and console error, so that a test can show that nothing went to
/// another host and nothing was refused by the Content-Security-Policy (a refusal is a console error).
/// </summary>
public sealed partial class BrowserSession : IAsyncDisposable
{
    private readonly List<string> _requests = [];
    private readonly List<string> _consoleErrors = [];

    private BrowserSession(IBrowserContext context, IPage page, Uri site)
    {
        Context = context;
        Page = page;
        Site = site;
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    public Uri Site { get; }

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToArray();
            }
        }
    }

    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (_consoleErrors)
            {
                return _consoleErrors.ToArray();
            }
        }
    }

    public static async Task<BrowserSession> OpenAsync(IBrowser browser, Uri site, string locale, bool javaScript, int width, int height)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = site.ToString(),
            Locale = locale,
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            DeviceScaleFactor = 2,
            IsMobile = true,
            HasTouch = true,
        });
        // Bounded waits everywhere: a page that does not come is a failure within seconds, not a hung run.
        context.SetDefaultTimeout(30_000);
        context.SetDefaultNavigationTimeout(60_000);
        var page = await context.NewPageAsync();
        var session = new BrowserSession(context, page, site);
        page.Request += (_, request) =>
        {
            lock (session._requests)
            {
                session._requests.Add(request.Url);
            }
        };
        page.Console += (_, message) =>
        {
            // Chromium logs a 4xx answer from the site (an outcome: 404, 409, 410, a form with errors, the survey page's
            // description request for a used link) as a failed load; that is the site working. Anything else, a refusal by
            // the Content-Security-Policy included, is an error.
            if (message.Type == "error" && !(message.Text.StartsWith("Failed to load resource: the server responded with a status of 4", StringComparison.Ordinal)
                && session.IsSite(LineAndColumn().Replace(message.Location, ""))))
            {
                lock (session._consoleErrors)
                {
                    session._consoleErrors.Add($"{message.Text} at {message.Location}");
                }
            }
        };
        return session;
    }

    /// <summary>Every request went to the site itself (or was a data: URL), and the page logged no error.</summary>
    public void AssertSelfContained()
    {
        Assert.All(Requests, url => Assert.True(url.StartsWith("data:", StringComparison.Ordinal) || new Uri(url).Authority == Site.Authority,
            $"A request left the site: {url}"));
        Assert.True(ConsoleErrors.Count == 0, string.Join('\n', ConsoleErrors));
    }

    public async ValueTask DisposeAsync() => await Context.DisposeAsync();

    [GeneratedRegex(@":\d+:\d+$")]
    private static partial Regex LineAndColumn();

    private bool IsSite(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Authority == Site.Authority;
}
