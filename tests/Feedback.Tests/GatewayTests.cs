using System.Net;
using System.Net.Http.Json;
using PublicSafety.Testing;

namespace PublicSafety.Feedback.Tests;

[Collection(FeedbackCollection.Name)]
public sealed class GatewayTests(FeedbackService feedback)
{
    private const int AnonymousBurst = 4;

    [Fact]
    public async Task ACitizenAnswersThroughTheGatewayWithoutATokenWithinTheAnonymousRateLimit()
    {
        await using var gateway = await ServiceProcess.StartReadyAsync("Gateway", new Dictionary<string, string?>
        {
            ["services__feedback__http__0"] = feedback.Process.BaseAddress.ToString(),
            ["Gateway__RateLimits__Anonymous__Burst"] = AnonymousBurst.ToString(),
            ["Gateway__RateLimits__Anonymous__PermitsPerWindow"] = "1",
            ["Gateway__RateLimits__Anonymous__Window"] = "01:00:00",
        });
        var interaction = await feedback.RegisterAsync("KZ-59");
        var token = await feedback.TokenAsync(interaction["id"]!.GetValue<Guid>());
        using var citizen = gateway.CreateClient();

        using (var answered = await citizen.PostAsJsonAsync("/api/feedback/public/surveys/responses", FeedbackService.Answers(token, 4)))
        {
            Assert.Equal(HttpStatusCode.Created, answered.StatusCode);
        }

        // Anything else of the service needs a token, at the gateway already.
        using (var indicators = await citizen.GetAsync("/api/feedback/indicators"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, indicators.StatusCode);
        }

        // Guessing tokens from one address runs into the per-IP limit: a 429 problem with Retry-After.
        HttpResponseMessage? limited = null;
        for (var i = 0; i < AnonymousBurst + 1 && limited is null; i++)
        {
            var response = await citizen.PostAsJsonAsync("/api/feedback/public/surveys/responses", FeedbackService.Answers(new string('B', 43), 5));
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
            else
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                response.Dispose();
            }
        }

        Assert.NotNull(limited);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(limited.Headers.RetryAfter);
        limited.Dispose();
    }
}
