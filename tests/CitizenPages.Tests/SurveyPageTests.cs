using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace PublicSafety.CitizenPages.Tests;

[Collection(CitizenCollection.Name)]
public sealed class SurveyPageTests(CitizenSite site)
{
    [Fact]
    public async Task ACitizenAnswersTheSurveyFromTheInvitationLinkAndASecondVisitSaysItWasAnswered()
    {
        var invitation = await site.IssueInvitationAsync();
        Assert.Equal($"{site.Gateway.BaseAddress}citizen/survey#{invitation.Token}", invitation.Link);
        await using var browser = await site.OpenAsync("ru-RU");
        var page = browser.Page;

        // The page's script takes the code from the fragment into the form, clears it from the address bar and asks what the
        // survey is about; the questions are on the page from the start.
        var described = page.WaitForResponseAsync(r => r.Url.EndsWith("/citizen/survey/describe", StringComparison.Ordinal));
        await page.GotoAsync(invitation.Link);
        Assert.Equal(200, (await described).Status);
        await Expect(page.Locator("#survey-about h2")).ToHaveTextAsync("О чём этот опрос");
        await Expect(page.Locator(".about")).ToContainTextAsync("Звонок в 102");
        await Expect(page.Locator(".about")).ToContainTextAsync("Алматы (город)");
        await Expect(page.Locator("#token")).ToBeHiddenAsync();
        Assert.DoesNotContain(invitation.Token, page.Url, StringComparison.Ordinal);

        foreach (var (criterion, score) in new[] { ("legality", 5), ("thoroughness", 4), ("timeliness", 2), ("respect", 5), ("overall", 4) })
        {
            await page.Locator($"label[for={criterion}-{score}]").ClickAsync();
        }

        await page.GetByLabel("Комментарий (необязательно)").FillAsync("Всё хорошо, мой номер +7 701 123 45 67");
        var sent = await Navigation.SubmitAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Отправить" }).ClickAsync());
        Assert.Equal(200, sent.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Спасибо!");

        // One verified response, the skipped criterion empty and the phone number masked before it was stored.
        Assert.Equal(1L, await site.ScalarAsync<long>("""
            SELECT count(*) FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id
            WHERE i.interaction_id = @a AND r.verified AND r.overall = 4 AND r.timeliness = 2 AND r.informedness IS NULL
              AND r.comment = 'Всё хорошо, мой номер [masked]'
            """, invitation.InteractionId));

        // The same link again: answered already, said so in plain words with the matching status.
        var again = page.WaitForResponseAsync(r => r.Url.EndsWith("/citizen/survey/describe", StringComparison.Ordinal));
        await page.GotoAsync(invitation.Link);
        Assert.Equal(409, (await again).Status);
        await Expect(page.Locator("#outcome-title")).ToHaveTextAsync("На этот опрос уже ответили");
        await Expect(page.Locator("#outcome-title")).ToBeFocusedAsync();
        await Expect(page.Locator("#survey-answer")).ToHaveCountAsync(0);
        browser.AssertSelfContained();

        // The token lives in fragments and form bodies only: neither the gateway nor the service ever logged it.
        Assert.DoesNotContain(invitation.Token, await File.ReadAllTextAsync(site.Gateway.LogFile), StringComparison.Ordinal);
        Assert.DoesNotContain(invitation.Token, await File.ReadAllTextAsync(site.Feedback.LogFile), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpiredUnknownAndMistypedCodesAreExplainedInPlainWords()
    {
        var invitation = await site.IssueInvitationAsync();
        // The invitation's fortnight is over (moved in the database: no test waits 14 days).
        await site.ExecuteAsync("UPDATE survey_invitations SET expires_at = now() - interval '1 minute' WHERE interaction_id = @a", invitation.InteractionId);
        await using var browser = await site.OpenAsync("kk-KZ");
        var page = browser.Page;

        var expired = page.WaitForResponseAsync(r => r.Url.EndsWith("/citizen/survey/describe", StringComparison.Ordinal));
        await page.GotoAsync(invitation.Link);
        Assert.Equal(410, (await expired).Status);
        await Expect(page.Locator("#outcome-title")).ToHaveTextAsync("Сілтеменің мерзімі өтіп кетті");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Пікір қалдыру" })).ToBeVisibleAsync();

        var unknown = page.WaitForResponseAsync(r => r.Url.EndsWith("/citizen/survey/describe", StringComparison.Ordinal));
        await page.GotoAsync("/citizen/survey#" + new string('Q', 43));
        Assert.Equal(404, (await unknown).Status);
        await Expect(page.Locator("#outcome-title")).ToHaveTextAsync("Сауалнама табылмады");

        // Half a code pasted by hand: the error is tied to the field and listed in the summary, which takes the focus.
        await page.GotoAsync("/citizen/survey");
        await page.GetByLabel("Сілтемедегі код").FillAsync(invitation.Token[..20]);
        var mistyped = await Navigation.SubmitAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Сауалнама не туралы екенін көру" }).ClickAsync());
        Assert.Equal(400, mistyped.Status);
        var field = page.Locator("#token");
        await Expect(field).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(field).ToHaveAttributeAsync("aria-describedby", "token-hint token-error");
        await Expect(page.Locator("#token-error")).ToHaveTextAsync("Кодты толық көшіріңіз: ол 43 таңбадан тұрады.");
        await Expect(page.Locator("#errors a[href='#token']")).ToBeVisibleAsync();
        Assert.Equal("errors", await page.EvaluateAsync<string>("document.activeElement.id"));
        browser.AssertSelfContained();
    }

    [Fact]
    public async Task WithoutJavaScriptTheCitizenPastesTheCodeAndAnswers()
    {
        var invitation = await site.IssueInvitationAsync();
        await using var browser = await site.OpenAsync("en-GB", javaScript: false);
        var page = browser.Page;

        await page.GotoAsync(invitation.Link);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Survey on the police service");
        await page.GetByLabel("Code from the link").FillAsync(invitation.Token);
        await page.GetByRole(AriaRole.Button, new() { Name = "See what the survey is about" }).ClickAsync();
        await Expect(page.Locator(".about")).ToContainTextAsync("Call to 102");

        // Only the overall score: every criterion stays at "Can't say".
        await page.Locator("label[for=overall-5]").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Thank you!");
        Assert.Equal(1L, await site.ScalarAsync<long>("""
            SELECT count(*) FROM survey_responses r JOIN survey_invitations i ON i.id = r.invitation_id
            WHERE i.interaction_id = @a AND r.overall = 5 AND num_nonnulls(r.legality, r.thoroughness, r.timeliness, r.respect, r.informedness) = 0
            """, invitation.InteractionId));
    }

    [Fact]
    public async Task AMissingOverallScoreIsShownAtItsQuestionAndTheOtherAnswersAreKept()
    {
        var invitation = await site.IssueInvitationAsync();
        await using var browser = await site.OpenAsync("ru-RU");
        var page = browser.Page;
        await page.GotoAsync(invitation.Link);
        await Expect(page.Locator("#survey-about h2")).ToBeVisibleAsync();

        await page.Locator("label[for=respect-2]").ClickAsync();
        var refused = await Navigation.SubmitAsync(page, () => page.GetByRole(AriaRole.Button, new() { Name = "Отправить" }).ClickAsync());

        Assert.Equal(400, refused.Status);
        var group = page.GetByRole(AriaRole.Group, new() { NameRegex = new Regex("^Общая оценка") });
        await Expect(group).ToHaveAttributeAsync("aria-describedby", "overall-error");
        await Expect(page.Locator("#overall-error")).ToHaveTextAsync("Выберите общую оценку от 1 до 5.");
        await Expect(page.Locator("#errors a[href='#overall-1']")).ToBeVisibleAsync();
        await Expect(page.Locator("#respect-2")).ToBeCheckedAsync();
        Assert.Equal(0L, await site.ScalarAsync<long>(
            "SELECT count(*) FROM survey_invitations WHERE interaction_id = @a AND used_at IS NOT NULL", invitation.InteractionId));
        browser.AssertSelfContained();
    }
}
