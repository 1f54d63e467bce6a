using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace PublicSafety.ServiceDefaults.Http;

public static class HttpClientDefaults
{
    /// <summary>
    /// Every <c>IHttpClientFactory</c> client: the standard resilience handler (rate limiter, total and per-attempt timeouts,
    /// retries with backoff, circuit breaker) and service discovery (<c>http://feedback</c> from <c>services:feedback:http:0</c>).
    /// A request that may have taken effect is never sent twice: POST, PATCH and the like are not retried.
    /// </summary>
    public static IServiceCollection AddHttpClientDefaults(this IServiceCollection services)
    {
        services.AddServiceDiscovery();
        services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());
            http.AddServiceDiscovery();
        });
        return services;
    }
}
