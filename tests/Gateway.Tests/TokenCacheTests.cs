using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using PublicSafety.Gateway.Security;

namespace PublicSafety.Gateway.Tests;

/// <summary>The gateway remembers validated tokens; it must never remember more than it should.</summary>
public class TokenCacheTests
{
    private static readonly DateTime Now = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);
    private readonly ManualClock _clock = new(Now);

    [Fact]
    public async Task AValidatedTokenIsNotValidatedAgainUntilItExpires()
    {
        var inner = new CountingHandler(valid: true, expires: Now.AddMinutes(5));
        var cache = new CachingTokenHandler(inner, _clock, capacity: 10);

        var first = await cache.ValidateTokenAsync("token-a", new TokenValidationParameters());
        var second = await cache.ValidateTokenAsync("token-a", new TokenValidationParameters());

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(1, inner.Calls);
        Assert.Equal("client-a", second.ClaimsIdentity.FindFirst("azp")?.Value);
    }

    [Fact]
    public async Task AnExpiredTokenIsValidatedAgainInFull()
    {
        var inner = new CountingHandler(valid: true, expires: Now.AddMinutes(5));
        var cache = new CachingTokenHandler(inner, _clock, capacity: 10);
        await cache.ValidateTokenAsync("token-a", new TokenValidationParameters());

        _clock.Now = Now.AddMinutes(5);
        inner.Valid = false;
        var afterExpiry = await cache.ValidateTokenAsync("token-a", new TokenValidationParameters());

        Assert.False(afterExpiry.IsValid);
        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task ATokenThatFailedValidationIsNeverRemembered()
    {
        var inner = new CountingHandler(valid: false, expires: Now.AddMinutes(5));
        var cache = new CachingTokenHandler(inner, _clock, capacity: 10);

        await cache.ValidateTokenAsync("token-a", new TokenValidationParameters());
        await cache.ValidateTokenAsync("token-a", new TokenValidationParameters());

        Assert.Equal(2, inner.Calls);
    }

    [Fact]
    public async Task WhatOneRequestAddsToItsIdentityIsNotSeenByTheNext()
    {
        var cache = new CachingTokenHandler(new CountingHandler(valid: true, expires: Now.AddMinutes(5)), _clock, capacity: 10);

        var first = await cache.ValidateTokenAsync("token-a", new TokenValidationParameters());
        first.ClaimsIdentity.AddClaim(new Claim(ClaimTypes.Role, "platform.operator"));
        var second = await cache.ValidateTokenAsync("token-a", new TokenValidationParameters());
        second.ClaimsIdentity.AddClaim(new Claim(ClaimTypes.Role, "platform.operator"));
        var third = await cache.ValidateTokenAsync("token-a", new TokenValidationParameters());

        Assert.NotSame(second.ClaimsIdentity, third.ClaimsIdentity);
        Assert.Empty(third.ClaimsIdentity.FindAll(ClaimTypes.Role));
    }

    [Fact]
    public async Task OnlyTheExactTokenStringHits()
    {
        var inner = new CountingHandler(valid: true, expires: Now.AddMinutes(5));
        var cache = new CachingTokenHandler(inner, _clock, capacity: 10);

        await cache.ValidateTokenAsync("token-a", new TokenValidationParameters());
        await cache.ValidateTokenAsync("token-A", new TokenValidationParameters());
        await cache.ValidateTokenAsync("token-a ", new TokenValidationParameters());

        Assert.Equal(3, inner.Calls);
    }

    [Fact]
    public async Task TheCacheStaysWithinItsCapacity()
    {
        var inner = new CountingHandler(valid: true, expires: Now.AddMinutes(5));
        var cache = new CachingTokenHandler(inner, _clock, capacity: 2);

        foreach (var token in new[] { "a", "b", "c", "a" })
        {
            await cache.ValidateTokenAsync(token, new TokenValidationParameters());
        }

        // "c" found the cache full and emptied it, so "a" had to be validated again.
        Assert.Equal(4, inner.Calls);
    }

    private sealed class ManualClock(DateTime now) : TimeProvider
    {
        public DateTime Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => new(Now);
    }

    private sealed class CountingHandler(bool valid, DateTime expires) : TokenHandler
    {
        public int Calls { get; private set; }

        public bool Valid { get; set; } = valid;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            if (!Valid)
            {
                return Task.FromResult(new TokenValidationResult { IsValid = false, Exception = new SecurityTokenExpiredException() });
            }

            var jwt = new JsonWebToken(new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                IssuedAt = expires.AddMinutes(-10),
                NotBefore = expires.AddMinutes(-10),
                Expires = expires,
                Claims = new Dictionary<string, object> { ["azp"] = "client-a" },
            }));
            var identity = new ClaimsIdentity([new Claim("azp", "client-a")], "Bearer");
            return Task.FromResult(new TokenValidationResult { IsValid = true, ClaimsIdentity = identity, SecurityToken = jwt });
        }
    }
}
