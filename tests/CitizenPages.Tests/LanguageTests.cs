using System.Xml.Linq;
using Microsoft.Playwright;
using PublicSafety.Testing;
using static Microsoft.Playwright.Assertions;

namespace PublicSafety.CitizenPages.Tests;

[Collection(CitizenCollection.Name)]
public sealed class LanguageTests(CitizenSite site)
{
    private static readonly string[] GetPages = ["/citizen", "/citizen/survey", "/citizen/feedback", "/citizen/complaint", "/citizen/complaint/status", "/citizen/venues"];

    [Theory]
    [InlineData("kk-KZ", "kk", "Полиция жұмысы туралы пікіріңіз", "Шағым беру")]
    [InlineData("ru-RU", "ru", "Ваше мнение о работе полиции", "Подать жалобу")]
    [InlineData("en-US", "en", "Your opinion of the police", "File a complaint")]
    [InlineData("de-DE", "kk", "Полиция жұмысы туралы пікіріңіз", "Шағым беру")]
    public async Task TheBrowserLanguageChoosesThePagesLanguageAndKazakhIsTheDefault(string locale, string lang, string heading, string link)
    {
        await using var browser = await site.OpenAsync(locale);
        var page = browser.Page;
        await page.GotoAsync("/citizen");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", lang);
        await Expect(page.Locator("h1")).ToHaveTextAsync(heading);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = link })).ToBeVisibleAsync();
        browser.AssertSelfContained();
    }

    [Fact]
    public async Task EveryPageHasTheSwitchAndTheChoiceIsKeptWithNothingElseInTheBrowser()
    {
        await using var browser = await site.OpenAsync("kk-KZ");
        var page = browser.Page;
        foreach (var path in GetPages)
        {
            await page.GotoAsync(path);
            var languages = page.GetByRole(AriaRole.Navigation, new() { Name = "Тіл" });
            await Expect(languages.GetByRole(AriaRole.Link)).ToHaveCountAsync(3);
            await Expect(languages.Locator("[aria-current=true]")).ToHaveTextAsync("Қазақша");
        }

        await page.GotoAsync("/citizen/complaint");
        await page.GetByRole(AriaRole.Link, new() { Name = "Русский" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Жалоба на действия сотрудников полиции");
        Assert.EndsWith("/citizen/complaint?lang=ru", page.Url, StringComparison.Ordinal);

        // The next page, reached without the switch, stays in Russian though the browser asks for Kazakh.
        await page.GotoAsync("/citizen/venues");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "ru");

        // What the browser keeps: the form token and the language, no storage at all.
        var cookies = await browser.Context.CookiesAsync();
        Assert.Equal(["csrf", "lang"], cookies.Select(c => c.Name).Distinct().Order(StringComparer.Ordinal));
        Assert.All(cookies, c => Assert.True(c.HttpOnly, c.Name));
        Assert.Equal(0, await page.EvaluateAsync<int>("localStorage.length + sessionStorage.length"));
        browser.AssertSelfContained();
    }

    [Fact]
    public async Task SwitchingLanguageOnTheSurveyKeepsItsCode()
    {
        var invitation = await site.IssueInvitationAsync();
        await using var browser = await site.OpenAsync("kk-KZ");
        var page = browser.Page;
        await page.GotoAsync(invitation.Link);
        await Expect(page.Locator("#survey-about h2")).ToHaveTextAsync("Сауалнама не туралы");

        await page.GetByRole(AriaRole.Link, new() { Name = "Русский" }).ClickAsync();
        await Expect(page.Locator("#survey-about h2")).ToHaveTextAsync("О чём этот опрос");
        await Expect(page.GetByRole(AriaRole.Group, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Законность") })).ToBeVisibleAsync();
        await Expect(page.Locator("#token")).ToHaveValueAsync(invitation.Token);

        // Without script the questionnaire page (opened with the code by hand) switches by a form that carries the code along.
        await using var plain = await site.OpenAsync("kk-KZ", javaScript: false);
        await plain.Page.GotoAsync("/citizen/survey");
        await plain.Page.Locator("#token").FillAsync(invitation.Token);
        await plain.Page.Locator("#code-field button").ClickAsync();
        await Expect(plain.Page.Locator("#survey-about h2, main h2").First).ToHaveTextAsync("Сауалнама не туралы");
        await plain.Page.GetByRole(AriaRole.Button, new() { Name = "Русский" }).ClickAsync();
        await Expect(plain.Page.Locator("main h2").First).ToHaveTextAsync("О чём этот опрос");
        await Expect(plain.Page.Locator("#survey-answer input[name=token]")).ToHaveValueAsync(invitation.Token);
        browser.AssertSelfContained();
    }

    [Fact]
    public async Task TheSurveyPageIsPhotographedInKazakhAndRussianAtPhoneSize()
    {
        // The same interaction date and expiry on every run, so that the pictures in docs/ change only when the page does.
        var invitation = await site.IssueInvitationAsync("KZ-71", new DateTimeOffset(2026, 11, 20, 10, 30, 0, TimeSpan.FromHours(5)));
        await site.ExecuteAsync("UPDATE survey_invitations SET expires_at = '2030-01-01T00:00:00+05:00' WHERE interaction_id = @a", invitation.InteractionId);
        var docs = Path.Combine(TestEnvironment.RepositoryRoot, "docs");
        foreach (var (locale, language, criterion) in new[] { ("kk-KZ", "kk", "Заңдылық"), ("ru-RU", "ru", "Законность") })
        {
            await using var browser = await site.OpenAsync(locale);
            var page = browser.Page;
            await page.GotoAsync(invitation.Link);
            await Expect(page.Locator("#survey-about .about")).ToBeVisibleAsync();
            await Expect(page.Locator(".criterion").First).ToHaveTextAsync(criterion);
            await page.Locator("label[for=legality-4]").ClickAsync();
            var file = Path.Combine(docs, $"citizen-survey-{language}.png");
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, Animations = ScreenshotAnimations.Disabled, Caret = ScreenshotCaret.Hide });
            Assert.True(new FileInfo(file).Length > 10_000, file);
            browser.AssertSelfContained();
        }
    }

    [Fact]
    public void EveryTextHasKazakhRussianAndEnglish()
    {
        var folder = Path.Combine(TestEnvironment.RepositoryRoot, "services", "Feedback", "Pages");
        var texts = new[] { "", ".kk", ".ru" }.ToDictionary(s => s, s => XDocument.Load(Path.Combine(folder, $"CitizenTexts{s}.resx"))
            .Root!.Elements("data").ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")!.Value));
        Assert.True(texts[""].Count > 150);
        Assert.Equal(texts[""].Keys.Order(), texts[".kk"].Keys.Order());
        Assert.Equal(texts[""].Keys.Order(), texts[".ru"].Keys.Order());
        Assert.All(texts.Values.SelectMany(t => t.Values), value => Assert.False(string.IsNullOrWhiteSpace(value)));

        // Kazakh is written with its own letters; a Russian text left in the Kazakh file would show none.
        var kazakhLetters = "ӘәҒғҚқҢңӨөҰұҮүҺһІі";
        Assert.True(texts[".kk"].Values.Count(v => v.Any(kazakhLetters.Contains)) > 80);
        Assert.All(texts[".ru"].Values, v => Assert.DoesNotContain(v, c => kazakhLetters.Contains(c) && !v.StartsWith("Қазақша", StringComparison.Ordinal)));
    }
}
