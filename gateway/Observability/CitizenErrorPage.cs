using System.Net;
using System.Text;
using Microsoft.Net.Http.Headers;
using PublicSafety.Gateway.Security;

namespace PublicSafety.Gateway.Observability;

/// <summary>
/// What a citizen's browser shows when the gateway itself refuses a page or a form post (the rate limit, the daily quota, a
/// body too large, the service unreachable): a plain page in the three languages of the citizens' pages, instead of JSON the
/// person cannot read. Each text carries its own <c>lang</c>, so no negotiation is needed and screen readers pronounce it
/// right; the page has no style or script, so the pages' CSP holds.
/// </summary>
public static class CitizenErrorPage
{
    /// <summary>A browser (it asks for HTML) on a route that serves citizens' pages.</summary>
    public static bool Wanted(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<PagePolicy>() is not null
        && context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    public static Task WriteAsync(HttpContext context, int status)
    {
        // Retry-After is in seconds (up to hours for the daily quota); a person reads minutes.
        var minutes = long.TryParse(context.Response.Headers.RetryAfter, out var seconds) ? Math.Max(1, (seconds + 59) / 60) : 1;
        var texts = status switch
        {
            StatusCodes.Status429TooManyRequests => Texts(
                ("kk", "Сұраулар тым көп", $"Осы желіден сұраулар тым көп келді. {minutes} минуттан кейін қайталап көріңіз."),
                ("ru", "Слишком много запросов", $"С этой сети пришло слишком много запросов. Повторите через {minutes} мин."),
                ("en", "Too many requests", $"Too many requests came from this network. Please try again in {minutes} min.")),
            StatusCodes.Status413PayloadTooLarge => Texts(
                ("kk", "Деректер тым үлкен", "Жіберілген мәтін тым ұзын. Қысқартып, қайта жіберіңіз."),
                ("ru", "Слишком большой объём", "Отправленный текст слишком длинный. Сократите его и отправьте снова."),
                ("en", "Too large", "What you sent is too long. Please shorten it and send it again.")),
            _ => Texts(
                ("kk", "Қызмет уақытша қолжетімсіз", "Біраз уақыттан кейін қайталап көріңіз. Енгізген деректеріңіз сақталмады."),
                ("ru", "Сервис временно недоступен", "Повторите попытку немного позже. Введённые данные не сохранены."),
                ("en", "The service is temporarily unavailable", "Please try again a little later. What you entered was not saved.")),
        };

        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html; charset=utf-8";
        return context.Response.WriteAsync(texts, context.RequestAborted);
    }

    private static string Texts(params (string Lang, string Title, string Text)[] languages)
    {
        var page = new StringBuilder("<!DOCTYPE html><html lang=\"kk\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>")
            .Append(WebUtility.HtmlEncode(string.Join(" / ", languages.Select(l => l.Title))))
            .Append("</title></head><body><main>");
        foreach (var (lang, title, text) in languages)
        {
            page.Append($"<section lang=\"{lang}\"><h1>{WebUtility.HtmlEncode(title)}</h1><p>{WebUtility.HtmlEncode(text)}</p></section>");
        }

        return page.Append("</main></body></html>").ToString();
    }
}
