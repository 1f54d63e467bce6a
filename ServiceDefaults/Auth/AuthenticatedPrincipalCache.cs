using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace PublicSafety.ServiceDefaults.Auth;

/// <summary>
/// Remembers the authenticated identity of a request, after full validation and the platform's <c>OnTokenValidated</c>
/// checks and role mapping, by the exact Authorization header that carried it, and on a later request with the same header
/// answers authentication from it in <c>OnMessageReceived</c>. Agency systems reuse their client-credentials token for
/// minutes, and without this every request paid, in the gateway and again in the service behind it, for RSA signature
/// verification (the largest single cost of a proxied request) and for JwtBearer copying the token, cloning its validation
/// parameters and mapping the roles again (about a third of the gateway's allocations per proxied request).
/// </summary>
/// <remarks>
/// Only identities whose validation and <c>OnTokenValidated</c> succeeded are remembered, and a hit is a fresh copy, so
/// nothing a request adds to it is seen by the next one. A hit is honoured only until the earliest of the token's
/// <c>exp</c> and <c>maxLifetime</c> after its validation, and only while the very key that verified it is among the keys
/// the bearer handler trusts now: a token with a far-future expiry does not outlive the removal of its key, since once the
/// realm's keys are fetched again (every <c>Keycloak:SigningKeyRefreshInterval</c>) without it, the next request is
/// validated in full and fails. At most <c>capacity</c> headers; a burst of distinct ones empties the cache rather than
/// growing it.
/// </remarks>
public sealed class AuthenticatedPrincipalCache(TimeProvider clock, int capacity, TimeSpan maxLifetime)
{
    private const string Scheme = "Bearer ";
    private readonly ConcurrentDictionary<string, Authenticated> _authenticated = new(StringComparer.Ordinal);

    public int Count => _authenticated.Count;

    /// <summary>For <c>OnMessageReceived</c>: succeeds the request from a remembered identity, or leaves it to JwtBearer.</summary>
    public async Task TryAuthenticateAsync(MessageReceivedContext context)
    {
        var headers = context.Request.Headers.Authorization;
        if (context.Token is not null || headers.Count != 1 || headers[0] is not { } header
            || !_authenticated.TryGetValue(header, out var hit))
        {
            return;
        }

        var manager = context.Options.ConfigurationManager as BaseConfigurationManager;
        if (clock.GetUtcNow().UtcDateTime < hit.ValidTo
            && await IsTrustedNowAsync(hit.Key, context.Options.TokenValidationParameters, manager))
        {
            context.Principal = new ClaimsPrincipal(hit.Identity.Clone());
            context.Success();
            return;
        }

        _authenticated.TryRemove(header, out _);
    }

    /// <summary>For <c>OnTokenValidated</c>, after the platform's own checks and role mapping: remembers what succeeded.</summary>
    public void Remember(TokenValidatedContext context)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var headers = context.Request.Headers.Authorization;
        if (context.Result is not null || context.Principal?.Identity is not ClaimsIdentity { IsAuthenticated: true } identity
            || context.SecurityToken is not JsonWebToken { SigningKey: { } key } token || token.ValidTo <= now
            || headers.Count != 1 || headers[0] is not { } header || !Carries(header, token.EncodedToken))
        {
            return;
        }

        // Bounded: a burst of distinct tokens empties the cache rather than growing it.
        if (_authenticated.Count >= capacity)
        {
            _authenticated.Clear();
        }

        var validTo = now + maxLifetime < token.ValidTo ? now + maxLifetime : token.ValidTo;
        _authenticated[header] = new Authenticated(identity.Clone(), key, validTo);
    }

    /// <summary>The header is exactly the scheme and this token, as JwtBearer reads it (scheme in any case, spaces trimmed).</summary>
    private static bool Carries(string header, string token) =>
        header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) && header.AsSpan(Scheme.Length).Trim().SequenceEqual(token);

    /// <summary>
    /// The same key object, not merely the same <c>kid</c>: the keys are new objects after every fetch of the realm's
    /// keys, so each remembered identity is validated in full once more after a refresh, which is cheap and never trusts a
    /// changed key.
    /// </summary>
    private static async ValueTask<bool> IsTrustedNowAsync(SecurityKey key, TokenValidationParameters parameters, BaseConfigurationManager? manager)
    {
        if (ReferenceEquals(parameters.IssuerSigningKey, key) || parameters.IssuerSigningKeys?.Any(k => ReferenceEquals(k, key)) == true)
        {
            return true;
        }

        // With an authority, the bearer handler leaves the keys to its configuration manager, which also refreshes them.
        manager ??= parameters.ConfigurationManager;
        if (manager is not null)
        {
            var configuration = await manager.GetBaseConfigurationAsync(CancellationToken.None);
            return configuration.SigningKeys.Any(k => ReferenceEquals(k, key));
        }

        return false;
    }

    private sealed record Authenticated(ClaimsIdentity Identity, SecurityKey Key, DateTime ValidTo);
}

public static class ValidatedTokenCache
{
    public const int Capacity = 4096;

    /// <summary>
    /// Puts <see cref="AuthenticatedPrincipalCache"/> around the bearer handler's events (configured by
    /// <see cref="KeycloakAuthentication"/>): it remembers an identity for <paramref name="maxLifetime"/> at most
    /// (<c>Keycloak:ValidatedTokenLifetime</c>), and never longer than the key refresh interval.
    /// </summary>
    public static IServiceCollection AddValidatedTokenCache(this IServiceCollection services, TimeSpan maxLifetime)
    {
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).PostConfigure(options =>
        {
            // Nothing reads the token back from the ticket (the gateway forwards its own Authorization header): a copy per
            // request for no reader.
            options.SaveToken = false;
            var lifetime = TimeSpan.FromTicks(Math.Min(maxLifetime.Ticks, options.AutomaticRefreshInterval.Ticks));
            // The system clock, not the host's TimeProvider: a hit must end by the token's exp, which IdentityModel checks
            // against the system clock when it validates in full.
            var principals = new AuthenticatedPrincipalCache(TimeProvider.System, Capacity, lifetime);
            var received = options.Events.OnMessageReceived;
            var validated = options.Events.OnTokenValidated;
            options.Events.OnMessageReceived = async context =>
            {
                await received(context);
                if (context.Result is null)
                {
                    await principals.TryAuthenticateAsync(context);
                }
            };
            options.Events.OnTokenValidated = async context =>
            {
                await validated(context);
                principals.Remember(context);
            };
        });
        return services;
    }
}
