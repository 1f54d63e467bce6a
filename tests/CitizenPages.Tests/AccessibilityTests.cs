using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace PublicSafety.CitizenPages.Tests;

/// <summary>axe-core's WCAG 2.1 A and AA rules on every page the citizen can reach, in every state that renders differently.</summary>
[Collection(CitizenCollection.Name)]
public sealed class AccessibilityTests(CitizenSite site, ITestOutputHelper output)
{
    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    };

    [Theory]
    [InlineData("kk-KZ")]
    [InlineData("ru-RU")]
    public async Task EveryPageHasNoAccessibilityViolations(string locale)
    {
        await site.PublishVenueRatingAsync();
        var open = await site.IssueInvitationAsync();
        await using var browser = await site.OpenAsync(locale);
        var page = browser.Page;
        var checkedPages = new List<string>();
        var violations = new List<string>();

        async Task Check(string name)
        {
            checkedPages.Add(name);
            var result = await page.RunAxe(Wcag21AA);
            violations.AddRange(result.Violations.Select(v =>
                $"{name}: {v.Id} ({v.Impact}) {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}"));
        }

        foreach (var path in new[] { "/citizen", "/citizen/survey", "/citizen/feedback", "/citizen/complaint", "/citizen/complaint/status", "/citizen/venues", "/citizen/nowhere" })
        {
            await page.GotoAsync(path);
            await Check(path);
        }

        await page.GotoAsync("/citizen/venues?region=KZ-55");
        await Expect(page.Locator("#venues li")).ToHaveCountAsync(2);
        await Check("venue rating");
        await page.GotoAsync("/citizen/venues?region=KZ-43");
        await Check("venue rating, none published");
        await page.GotoAsync("/citizen/venues?region=XX");
        await Check("venue rating, bad region");

        // The survey: its form, its errors, thanks, answered, unknown; a mistyped code.
        await page.GotoAsync(open.Link);
        await Expect(page.Locator("#survey-about .about")).ToBeVisibleAsync();
        await Check("survey");
        await page.Locator("#survey-answer > button[type=submit]").ClickAsync();
        await Expect(page.Locator("#errors")).ToBeVisibleAsync();
        await Check("survey with errors");
        await page.Locator("label[for=overall-4]").ClickAsync();
        await page.Locator("#survey-answer > button[type=submit]").ClickAsync();
        await Expect(page.Locator("#outcome")).ToBeVisibleAsync();
        await Check("survey thanks");
        await OpenSurveyLinkAsync(open.Link, 409);
        await Check("survey already answered");
        // The page is /citizen/survey already: this link changes only the fragment, and the script reloads the page for it.
        // The previous outcome stays on screen until then, so wait for the new page's own answer, not for an outcome.
        await OpenSurveyLinkAsync("/citizen/survey#" + new string('Z', 43), 404);
        await Check("survey unknown");
        await page.GotoAsync("/citizen/survey");
        await page.Locator("#token").FillAsync("abc");
        await page.Locator("#code-field button").ClickAsync();
        await Expect(page.Locator("#errors")).ToBeVisibleAsync();
        await Check("survey code with error");

        // Feedback and complaint forms with every error shown, then their results.
        await page.GotoAsync("/citizen/feedback");
        await page.Locator("#feedback button[type=submit]").ClickAsync();
        await Expect(page.Locator("#errors")).ToBeVisibleAsync();
        await Check("feedback with errors");
        await page.GotoAsync("/citizen/complaint");
        await page.Locator("#complaint button[type=submit]").ClickAsync();
        await Expect(page.Locator("#errors")).ToBeVisibleAsync();
        await Check("complaint with errors");
        await page.Locator("#region").SelectOptionAsync("KZ-19");
        await page.Locator("#unit").FillAsync("Unit " + CitizenSite.Letters());
        await page.Locator("#category").SelectOptionAsync("rudeness");
        await page.Locator("#description").FillAsync("Spoke rudely at the checkpoint");
        await page.Locator("#complaint button[type=submit]").ClickAsync();
        await Expect(page.Locator("#reference-code")).ToBeVisibleAsync();
        await Check("complaint receipt");
        await page.Locator("main form button[type=submit]").ClickAsync();
        await Expect(page.Locator("#status")).ToBeVisibleAsync();
        await Check("complaint status");
        await page.GotoAsync("/citizen/complaint/status");
        await page.Locator("#code").FillAsync("FB-0000-0000-0000-0000");
        await page.Locator("#status-lookup button").ClickAsync();
        await Expect(page.Locator("#errors")).ToBeVisibleAsync();
        await Check("complaint status, unknown code");

        output.WriteLine($"axe (WCAG 2.1 A/AA) on {checkedPages.Count} pages in {locale}: {violations.Count} violations");
        Assert.True(violations.Count == 0, string.Join('\n', violations));
        browser.AssertSelfContained();

        async Task OpenSurveyLinkAsync(string link, int status)
        {
            var described = page.WaitForResponseAsync(r => r.Url.EndsWith("/citizen/survey/describe", StringComparison.Ordinal));
            await page.GotoAsync(link);
            Assert.Equal(status, (await described).Status);
            await Expect(page.Locator("#outcome")).ToBeVisibleAsync();
        }
    }
}
