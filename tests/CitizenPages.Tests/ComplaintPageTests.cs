using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PublicSafety.CitizenPages.Tests;

[Collection(CitizenCollection.Name)]
public sealed partial class ComplaintPageTests(CitizenSite site)
{
    [Fact]
    public async Task AComplaintIsFiledAndFollowedByItsReferenceCode()
    {
        await using var browser = await site.OpenAsync("kk-KZ");
        var page = browser.Page;
        var unit = await OpenFilledFormAsync(page, "Мені себепсіз ұстады. Телефоным 8 701 123 45 67, ЖСН 900101300123.");
        var filed = await Navigation.SubmitAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Шағымды жіберу" }).ClickAsync());

        Assert.Equal(200, filed.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Шағымыңыз қабылданды");
        var code = await page.Locator("#reference-code").InnerTextAsync();
        Assert.Matches(ReferenceCodeShape(), code);
        Assert.Equal("Мені себепсіз ұстады. Телефоным [masked], ЖСН [masked].",
            await site.ScalarAsync<string>("SELECT description FROM complaints WHERE reference_code = @a AND unit = @b", code, unit));

        // Later, on the status page, by the code alone.
        await page.GotoAsync("/citizen/complaint/status");
        await page.GetByLabel("Шағым коды").FillAsync(code.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Көрсету" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Қабылданды, қарауды күтуде.");

        await site.StepAsync(code, new { action = "assign", reason = "Assigned to the internal security unit", assignee = "Inspector" });
        await site.StepAsync(code, new { action = "start_review", reason = "Review started" });
        await page.GotoAsync("/citizen/complaint/status");
        await page.GetByLabel("Шағым коды").FillAsync(code);
        await page.GetByRole(AriaRole.Button, new() { Name = "Көрсету" }).ClickAsync();
        await Expect(page.Locator("#status")).ToHaveTextAsync("Қаралуда.");
        await Expect(page.Locator(".history li")).ToHaveCountAsync(3);
        // Handlers' names and reasons stay inside: the citizen sees statuses and dates.
        await Expect(page.Locator("main")).Not.ToContainTextAsync("Inspector");
        browser.AssertSelfContained();
    }

    [Fact]
    public async Task TheSameComplaintFormSentTwiceFilesOneComplaint()
    {
        await using var browser = await site.OpenAsync("ru-RU", javaScript: false);
        var page = browser.Page;
        var unit = await OpenFilledFormAsync(page, "Грубо разговаривали на посту");

        // A double tap, or a resend over a bad connection: the same form (its token and its key) posted twice.
        var fields = await FieldsAsync(page);
        var first = await page.APIRequest.PostAsync("/citizen/complaint", new() { Form = Form(page, fields) });
        var second = await page.APIRequest.PostAsync("/citizen/complaint", new() { Form = Form(page, fields) });

        Assert.Equal((200, 200), (first.Status, second.Status));
        var firstCode = ReferenceCodeShape().Match(await first.TextAsync()).Value;
        Assert.NotEmpty(firstCode);
        Assert.Equal(firstCode, ReferenceCodeShape().Match(await second.TextAsync()).Value);
        Assert.Equal(1L, await site.ScalarAsync<long>("SELECT count(*) FROM complaints WHERE unit = @a", unit));
    }

    [Fact]
    public async Task AFormPostWithoutItsAntiforgeryTokenIsRefusedAndFilesNothing()
    {
        await using var browser = await site.OpenAsync("ru-RU", javaScript: false);
        var page = browser.Page;
        var unit = await OpenFilledFormAsync(page, "Грубо разговаривали на посту");
        var fields = await FieldsAsync(page);

        // As another site's form would post it: the cookie may come along, the token from the page cannot.
        fields.Remove("csrf");
        var forged = await page.APIRequest.PostAsync("/citizen/complaint", new()
        {
            Form = Form(page, fields),
            Headers = new Dictionary<string, string> { ["Accept-Language"] = "ru-RU" },
        });

        Assert.Equal(400, forged.Status);
        Assert.Contains("Форма устарела", await forged.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(0L, await site.ScalarAsync<long>("SELECT count(*) FROM complaints WHERE unit = @a", unit));
    }

    [Fact]
    public async Task UnsolicitedFeedbackIsAcceptedAndCountedAsUnverified()
    {
        await using var browser = await site.OpenAsync("ru-RU");
        var page = browser.Page;
        var unit = "Unit " + CitizenSite.Letters();
        await page.GotoAsync("/citizen/feedback");
        await page.GetByLabel("Регион").SelectOptionAsync("KZ-71");
        await page.GetByLabel("Подразделение полиции (необязательно)").FillAsync(unit);
        await page.GetByLabel("Вид услуги (необязательно)").SelectOptionAsync("document_service");
        await page.Locator("label[for=overall-3]").ClickAsync();
        await page.Locator("label[for=timeliness-1]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Отправить" }).ClickAsync();

        await Expect(page.Locator("#outcome")).ToHaveTextAsync("Ваш отзыв принят.");
        Assert.Equal(1L, await site.ScalarAsync<long>(
            "SELECT count(*) FROM survey_responses WHERE unit = @a AND NOT verified AND region = 'KZ-71' AND overall = 3 AND timeliness = 1 AND kind = 'document_service'",
            unit));
        browser.AssertSelfContained();
    }

    /// <summary>The complaint page with its form filled in for a unit of its own; returns the unit.</summary>
    private static async Task<string> OpenFilledFormAsync(IPage page, string description)
    {
        var unit = "Unit " + CitizenSite.Letters();
        await page.GotoAsync("/citizen/complaint");
        await page.Locator("#region").SelectOptionAsync("KZ-75");
        await page.Locator("#unit").FillAsync(unit);
        await page.Locator("#category").SelectOptionAsync("unlawful_detention");
        await page.Locator("#description").FillAsync(description);
        // Yesterday on Kazakhstan's calendar: always in the past, whatever the hour.
        await page.Locator("#incidentDate").FillAsync(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(5)).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        return unit;
    }

    /// <summary>What the form would post, its hidden token and key included.</summary>
    private static Task<Dictionary<string, string>> FieldsAsync(IPage page) =>
        page.Locator("#complaint").EvaluateAsync<Dictionary<string, string>>("f => Object.fromEntries(new FormData(f).entries())");

    private static IFormData Form(IPage page, Dictionary<string, string> fields)
    {
        var form = page.APIRequest.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }

    [GeneratedRegex("FB(-[0-9A-HJKMNP-TV-Z]{4}){4}")]
    private static partial Regex ReferenceCodeShape();
}
