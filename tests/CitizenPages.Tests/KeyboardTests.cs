using static Microsoft.Playwright.Assertions;

namespace PublicSafety.CitizenPages.Tests;

[Collection(CitizenCollection.Name)]
public sealed class KeyboardTests(CitizenSite site)
{
    [Fact]
    public async Task TheSurveyFormCanBeAnsweredWithTheKeyboardAlone()
    {
        var invitation = await site.IssueInvitationAsync();
        await using var browser = await site.OpenAsync("kk-KZ");
        var page = browser.Page;
        await page.GotoAsync(invitation.Link);
        await Expect(page.Locator("#survey-about h2")).ToBeVisibleAsync();

        // Each criterion: Tab reaches the group on its checked option ("can't say"), two arrows left choose 4.
        foreach (var criterion in new[] { "legality", "thoroughness", "timeliness", "respect", "informedness" })
        {
            await TabToAsync(page, $"{criterion}-skip");
            await page.Keyboard.PressAsync("ArrowLeft");
            await page.Keyboard.PressAsync("ArrowLeft");
            Assert.Equal($"{criterion}-4", await FocusedIdAsync(page));
        }

        // The focused option shows where the keyboard is: the outline of its label.
        Assert.Equal("solid", await page.EvaluateAsync<string>(
            "getComputedStyle(document.querySelector('label[for=\"' + document.activeElement.id + '\"]')).outlineStyle"));

        // The overall score has no default: Tab lands on 1, Space chooses it, arrows move to 5.
        await TabToAsync(page, "overall-1");
        await page.Keyboard.PressAsync("Space");
        for (var i = 0; i < 4; i++)
        {
            await page.Keyboard.PressAsync("ArrowRight");
        }

        await TabToAsync(page, "comment");
        await page.Keyboard.TypeAsync("Жылдам келді");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("BUTTON", await page.EvaluateAsync<string>("document.activeElement.tagName"));
        await Navigation.SubmitAsync(page, () => page.Keyboard.PressAsync("Enter"));

        await Expect(page.Locator("h1")).ToHaveTextAsync("Рақмет!");
        Assert.Equal(1L, await site.ScalarAsync<long>("""
            SELECT count(*) FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id
            WHERE i.interaction_id = @a AND r.overall = 5 AND r.legality = 4 AND r.thoroughness = 4 AND r.timeliness = 4 AND r.respect = 4
              AND r.informedness = 4 AND r.comment = 'Жылдам келді'
            """, invitation.InteractionId));
        browser.AssertSelfContained();
    }

    [Fact]
    public async Task TheFirstTabReachesTheSkipLinkWhichLeadsToTheContent()
    {
        await using var browser = await site.OpenAsync("ru-RU");
        var page = browser.Page;
        await page.GotoAsync("/citizen/complaint");

        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator(".skip")).ToBeFocusedAsync();
        await Expect(page.Locator(".skip")).ToBeInViewportAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("region", await FocusedIdAsync(page));
    }

    private static Task<string> FocusedIdAsync(Microsoft.Playwright.IPage page) => page.EvaluateAsync<string>("document.activeElement.id");

    /// <summary>Presses Tab until the element with this id has the focus; fails after 80 presses.</summary>
    private static async Task TabToAsync(Microsoft.Playwright.IPage page, string id)
    {
        for (var i = 0; i < 80; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await FocusedIdAsync(page) == id)
            {
                return;
            }
        }

        Assert.Fail($"Tab never reached #{id}.");
    }
}
