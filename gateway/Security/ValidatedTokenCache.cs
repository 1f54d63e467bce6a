using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace PublicSafety.Gateway.Security;

/// <summary>
/// Remembers tokens that passed full validation until they expire, so that an agency system reusing its access token
/// (client credentials tokens live for minutes) is not RSA-verified again on every request: signature verification is the
/// largest single cost of a proxied request. Only exact token strings that validated are remembered; a hit is a fresh copy
/// of the identity, so nothing a request adds to it is seen by the next one. Like any JWT validation, a remembered token
/// stays valid until its <c>exp</c> even if the realm rotates its key meanwhile.
/// </summary>
public sealed class CachingTokenHandler(TokenHandler inner, TimeProvider clock, int capacity) : TokenHandler
{
    private readonly ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_validated.TryGetValue(token, out var hit))
        {
            if (now < hit.ValidTo)
            {
                return new TokenValidationResult { IsValid = true, ClaimsIdentity = hit.Identity.Clone(), SecurityToken = hit.Token };
            }

            _validated.TryRemove(token, out _);
        }

        var result = await inner.ValidateTokenAsync(token, validationParameters);
        if (result is { IsValid: true, ClaimsIdentity: { } identity, SecurityToken: { } securityToken } && securityToken.ValidTo > now)
        {
            // Bounded: a burst of distinct tokens empties the cache rather than growing it.
            if (_validated.Count >= capacity)
            {
                _validated.Clear();
            }

            _validated[token] = new Validated(identity.Clone(), securityToken, securityToken.ValidTo);
        }

        return result;
    }

    public override SecurityToken ReadToken(string token) => inner.ReadToken(token);

    private sealed record Validated(ClaimsIdentity Identity, SecurityToken Token, DateTime ValidTo);
}

public static class ValidatedTokenCache
{
    public const int Capacity = 4096;

    /// <summary>Wraps the bearer handler's token handlers (configured by ServiceDefaults) in <see cref="CachingTokenHandler"/>.</summary>
    public static IServiceCollection AddValidatedTokenCache(this IServiceCollection services)
    {
        services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, options =>
        {
            var handlers = options.TokenHandlers.ToArray();
            options.TokenHandlers.Clear();
            foreach (var handler in handlers)
            {
                options.TokenHandlers.Add(new CachingTokenHandler(handler, TimeProvider.System, Capacity));
            }
        });
        return services;
    }
}
