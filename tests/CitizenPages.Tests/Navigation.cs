using Microsoft.Playwright;

namespace PublicSafety.CitizenPages.Tests;

public static class Navigation
{
    /// <summary>Does what posts a form (a click, Enter) and returns the response of the page that the post navigated to.</summary>
    public static async Task<IResponse> SubmitAsync(IPage page, Func<Task> action)
    {
        var response = await page.RunAndWaitForResponseAsync(action, r => r.Request.IsNavigationRequest && r.Request.Method == "POST");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        return response;
    }
}
