using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.ServiceDefaults.Grpc.Client;

/// <summary>The calling service's own access token for service-to-service calls (never a forwarded end-user token).</summary>
public interface IServiceTokenProvider
{
    ValueTask<string> GetTokenAsync(CancellationToken cancellationToken);
}

/// <summary>Configuration of the service's own Keycloak client (section <c>Keycloak</c>).</summary>
public sealed class ServiceCredentialsOptions
{
    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>Development only, without Keycloak: the roles the service's Keycloak client holds in the realm export.</summary>
    public string[] ServiceAccountRoles { get; set; } = [];
}

public static class ServiceTokens
{
    /// <summary>
    /// Keycloak's client-credentials grant when <c>Keycloak:ClientId</c> and <c>Keycloak:ClientSecret</c> are set, in any
    /// environment. Otherwise, and only in Development with <c>Keycloak:DevelopmentSigningKeyFile</c>, tokens minted with the
    /// local development key, which only Development services trust. Anything else has no service token and says so on use.
    /// </summary>
    public static IHostApplicationBuilder AddServiceTokens(this IHostApplicationBuilder builder)
    {
        var keycloak = builder.Configuration.GetSection(KeycloakOptions.Section);
        var credentials = keycloak.Get<ServiceCredentialsOptions>() ?? new ServiceCredentialsOptions();
        var options = keycloak.Get<KeycloakOptions>() ?? new KeycloakOptions();
        var clientId = credentials.ClientId ?? builder.Environment.ApplicationName;
        builder.Services.TryAddTransient<ServiceTokenHandler>();
        if (!string.IsNullOrEmpty(credentials.ClientSecret))
        {
            builder.Services.AddHttpClient(KeycloakTokenProvider.HttpClientName);
            builder.Services.TryAddSingleton<IServiceTokenProvider>(sp => new KeycloakTokenProvider(
                sp.GetRequiredService<IHttpClientFactory>(), options.Authority, clientId, credentials.ClientSecret));
        }
        else if (builder.Environment.IsDevelopment() && !string.IsNullOrEmpty(options.DevelopmentSigningKeyFile))
        {
            var keyFile = options.DevelopmentSigningKeyFile;
            builder.Services.TryAddSingleton<IServiceTokenProvider>(_ => new DevelopmentTokenProvider(
                keyFile, options.Authority, options.Audience, clientId, credentials.ServiceAccountRoles));
        }
        else
        {
            builder.Services.TryAddSingleton<IServiceTokenProvider, MissingTokenProvider>();
        }

        return builder;
    }

    /// <summary>Caches a token until 30 s (or a tenth of its lifetime, if less) before it expires; one refresh at a time.</summary>
    internal abstract class CachingProvider : IServiceTokenProvider
    {
        private readonly SemaphoreSlim _refresh = new(1, 1);
        private (string Token, DateTimeOffset RenewAt)? _current;

        public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
        {
            if (_current is { } c && DateTimeOffset.UtcNow < c.RenewAt)
            {
                return c.Token;
            }

            await _refresh.WaitAsync(cancellationToken);
            try
            {
                if (_current is { } again && DateTimeOffset.UtcNow < again.RenewAt)
                {
                    return again.Token;
                }

                var (token, lifetime) = await AcquireAsync(cancellationToken);
                var margin = TimeSpan.FromTicks(Math.Min(TimeSpan.FromSeconds(30).Ticks, lifetime.Ticks / 10));
                _current = (token, DateTimeOffset.UtcNow + lifetime - margin);
                return token;
            }
            finally
            {
                _refresh.Release();
            }
        }

        protected abstract Task<(string Token, TimeSpan Lifetime)> AcquireAsync(CancellationToken cancellationToken);
    }

    internal sealed class KeycloakTokenProvider(IHttpClientFactory httpClients, string authority, string clientId, string clientSecret) : CachingProvider
    {
        public const string HttpClientName = "keycloak-token";

        protected override async Task<(string, TimeSpan)> AcquireAsync(CancellationToken cancellationToken)
        {
            using var http = httpClients.CreateClient(HttpClientName);
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{authority.TrimEnd('/')}/protocol/openid-connect/token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
            };
            // RFC 6749 §2.3.1: client credentials in HTTP Basic (form-encoded first).
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(
                System.Text.Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(clientSecret)}")));
            using var response = await http.SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                // The body may echo the client id; the secret never appears in it, but keep the message short anyway.
                throw new InvalidOperationException($"Keycloak refused the client-credentials grant for {clientId}: HTTP {(int)response.StatusCode}.");
            }

            var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
                ?? throw new InvalidOperationException("Keycloak's token response was empty.");
            return (token.AccessToken, TimeSpan.FromSeconds(Math.Max(token.ExpiresIn, 1)));
        }

        private sealed record TokenResponse(
            [property: JsonPropertyName("access_token")] string AccessToken,
            [property: JsonPropertyName("expires_in")] int ExpiresIn);
    }

    /// <summary>
    /// Keycloak-shaped tokens signed with the local development key (the PEM that <c>./build.sh token</c> makes holds the
    /// private half). Registered only in Development; services outside Development never trust this key.
    /// </summary>
    internal sealed class DevelopmentTokenProvider(string keyFile, string issuer, string audience, string clientId, string[] roles) : CachingProvider
    {
        private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

        protected override Task<(string, TimeSpan)> AcquireAsync(CancellationToken cancellationToken)
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(keyFile));
            var token = DevelopmentTokens.Create(rsa, issuer, audience, clientId, user: null, region: null, roles, DateTime.UtcNow, Lifetime);
            return Task.FromResult((token, Lifetime));
        }
    }

    private sealed class MissingTokenProvider : IServiceTokenProvider
    {
        public ValueTask<string> GetTokenAsync(CancellationToken cancellationToken) => throw new InvalidOperationException(
            "No service credentials: set Keycloak:ClientId and Keycloak:ClientSecret (or, in Development, Keycloak:DevelopmentSigningKeyFile).");
    }
}

/// <summary>Adds the service's own bearer token unless the call set <c>authorization</c> itself (explicit forwarding).</summary>
internal sealed class ServiceTokenHandler(IServiceTokenProvider tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Headers.Authorization is null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetTokenAsync(cancellationToken));
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
