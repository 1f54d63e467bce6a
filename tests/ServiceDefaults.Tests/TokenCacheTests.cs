using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.ServiceDefaults.Tests;

/// <summary>The gateway and the services remember authenticated identities; never more, or longer, than they should.</summary>
public class TokenCacheTests
{
    private static readonly DateTime Now = new(2026, 11, 22, 12, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
    private static readonly SecurityKey RealmKey = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "realm-key" };
    private readonly ManualClock _clock = new(Now);

    [Fact]
    public async Task WithTheRealHandlerAndTheRealmsKeysARepeatedHeaderIsAHitUntilTheKeysAreFetchedAgain()
    {
        var key = new RsaSecurityKey(RSA.Create(2048)) { KeyId = "realm-key" };
        var header = "Bearer " + Sign(key);
        var handler = new CountingJsonWebTokenHandler();
        var manager = new SwitchableConfigurationManager(key);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
        {
            options.ConfigurationManager = manager;
            options.TokenValidationParameters = new TokenValidationParameters { ValidateIssuer = false, ValidateAudience = false };
            options.TokenHandlers.Clear();
            options.TokenHandlers.Add(handler);
        });
        services.AddValidatedTokenCache(Lifetime);
        await using var provider = services.BuildServiceProvider();

        async Task<AuthenticateResult> Authenticate()
        {
            // A scope per request, as in ASP.NET Core: the authentication handlers (and their results) are per request.
            await using var scope = provider.CreateAsyncScope();
            var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider };
            http.Request.Headers.Authorization = header;
            return await http.AuthenticateAsync(JwtBearerDefaults.AuthenticationScheme);
        }

        var first = await Authenticate();
        var second = await Authenticate();
        Assert.True(first.Succeeded);
        Assert.True(second.Succeeded);
        Assert.Equal("client-a", second.Principal!.FindFirst("azp")?.Value);
        Assert.Equal(1, handler.Calls);

        // A fetch of the realm's keys without this one: the remembered identity is no longer a hit, the token is
        // validated in full again, and fails.
        manager.Publish(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "next-key" });
        var afterRemoval = await Authenticate();

        Assert.False(afterRemoval.Succeeded);
        Assert.Equal(2, handler.Calls);
    }

    [Fact]
    public void TheRealmsSigningKeysAreFetchedAgainWithinMinutesNotEveryTwelveHours()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Production" });
        builder.Configuration["Keycloak:Authority"] = "https://sso.example.kz/realms/public-safety";
        builder.AddKeycloakAuthentication();
        using var services = builder.Services.BuildServiceProvider();

        var bearer = services.GetRequiredService<IOptionsMonitor<JwtBearerOptions>>().Get(JwtBearerDefaults.AuthenticationScheme);
        var manager = Assert.IsType<ConfigurationManager<OpenIdConnectConfiguration>>(bearer.ConfigurationManager);

        Assert.Equal(TimeSpan.FromMinutes(5), manager.AutomaticRefreshInterval);
        // Nor does a removed key live on as a "last known good" configuration.
        Assert.False(manager.UseLastKnownGoodConfiguration);
    }

    [Fact]
    public async Task TheCacheStaysWithinItsCapacity()
    {
        var principals = new AuthenticatedPrincipalCache(_clock, capacity: 2, Lifetime);
        var headers = Enumerable.Range(1, 3).Select(minutes => "Bearer " + Sign(RealmKey, Now.AddMinutes(minutes))).ToArray();

        foreach (var header in headers)
        {
            principals.Remember(Validated(header, RealmKey));
        }

        // The third found the cache full and emptied it, so the first is validated in full again.
        Assert.Equal(1, principals.Count);
        Assert.Null((await Received(principals, headers[0], Trusting(RealmKey))).Result);
        Assert.True((await Received(principals, headers[2], Trusting(RealmKey))).Result?.Succeeded);
    }

    [Fact]
    public async Task AnAuthenticatedHeaderIsAnsweredFromTheCacheWithAFreshIdentity()
    {
        var principals = new AuthenticatedPrincipalCache(_clock, capacity: 10, Lifetime);
        var header = "Bearer " + Sign(RealmKey, Now.AddMinutes(5));
        principals.Remember(Validated(header, RealmKey));

        var first = await Received(principals, header, Trusting(RealmKey));
        first.Principal!.Identities.Single().AddClaim(new Claim(ClaimTypes.Role, "platform.operator"));
        var second = await Received(principals, header, Trusting(RealmKey));

        Assert.True(second.Result?.Succeeded);
        Assert.Equal("client-a", second.Principal!.FindFirst("azp")?.Value);
        Assert.Equal(["feedback.read"], second.Principal.FindAll(ClaimTypes.Role).Select(c => c.Value));
    }

    [Fact]
    public async Task AFailedOrForeignValidationIsNeverRememberedAndAnotherHeaderMisses()
    {
        var principals = new AuthenticatedPrincipalCache(_clock, capacity: 10, Lifetime);
        var header = "Bearer " + Sign(RealmKey, Now.AddMinutes(5));
        var failed = Validated(header, RealmKey);
        failed.Fail("Only access tokens are accepted.");
        principals.Remember(failed);
        // A token validated for another header (not the one this request carries) is not remembered under it either.
        principals.Remember(Validated("Bearer " + Sign(RealmKey, Now.AddMinutes(6)), RealmKey, carriedToken: header));

        Assert.Equal(0, principals.Count);
        principals.Remember(Validated(header, RealmKey));
        Assert.Null((await Received(principals, header + "x", Trusting(RealmKey))).Result);
        Assert.Null((await Received(principals, "bearer  " + header[7..], Trusting(RealmKey))).Result);
    }

    [Fact]
    public async Task ARememberedIdentityEndsWithItsLifetimeOrItsKey()
    {
        var principals = new AuthenticatedPrincipalCache(_clock, capacity: 10, Lifetime);
        var header = "Bearer " + Sign(RealmKey, Now.AddDays(30));
        principals.Remember(Validated(header, RealmKey));

        Assert.Null((await Received(principals, header, Trusting(new RsaSecurityKey(RSA.Create(2048)) { KeyId = "next-key" }))).Result);
        Assert.Equal(0, principals.Count);

        principals.Remember(Validated(header, RealmKey));
        _clock.Now = Now + Lifetime - TimeSpan.FromSeconds(1);
        Assert.True((await Received(principals, header, Trusting(RealmKey))).Result?.Succeeded);
        _clock.Now = Now + Lifetime;
        Assert.Null((await Received(principals, header, Trusting(RealmKey))).Result);
    }

    [Fact]
    public async Task ARememberedIdentityEndsWithItsTokenIfThatExpiresFirst()
    {
        var principals = new AuthenticatedPrincipalCache(_clock, capacity: 10, Lifetime);
        var header = "Bearer " + Sign(RealmKey, Now.AddMinutes(1));
        principals.Remember(Validated(header, RealmKey));

        _clock.Now = Now.AddMinutes(1) - TimeSpan.FromSeconds(1);
        Assert.True((await Received(principals, header, Trusting(RealmKey))).Result?.Succeeded);
        _clock.Now = Now.AddMinutes(1);
        Assert.Null((await Received(principals, header, Trusting(RealmKey))).Result);
    }

    private static TokenValidatedContext Validated(string header, SecurityKey key, string? carriedToken = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = carriedToken ?? header;
        var identity = new ClaimsIdentity([new Claim("azp", "client-a"), new Claim(ClaimTypes.Role, "feedback.read")], "Bearer");
        return new TokenValidatedContext(http, BearerScheme, new JwtBearerOptions())
        {
            Principal = new ClaimsPrincipal(identity),
            SecurityToken = new JsonWebToken(header[7..]) { SigningKey = key },
        };
    }

    private static async Task<MessageReceivedContext> Received(AuthenticatedPrincipalCache principals, string header, TokenValidationParameters parameters)
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = header;
        var context = new MessageReceivedContext(http, BearerScheme, new JwtBearerOptions { TokenValidationParameters = parameters });
        await principals.TryAuthenticateAsync(context);
        return context;
    }

    private static readonly Microsoft.AspNetCore.Authentication.AuthenticationScheme BearerScheme =
        new(JwtBearerDefaults.AuthenticationScheme, null, typeof(JwtBearerHandler));

    private static string Sign(SecurityKey key, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        IssuedAt = expires.AddDays(-31),
        NotBefore = expires.AddDays(-31),
        Expires = expires,
        Claims = new Dictionary<string, object> { ["azp"] = "client-a" },
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });

    /// <summary>What the bearer handler passes with a development key: the key itself.</summary>
    private static TokenValidationParameters Trusting(SecurityKey key) => new() { IssuerSigningKey = key };

    private static string Sign(SecurityKey key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Expires = DateTime.UtcNow.AddDays(30),
        Claims = new Dictionary<string, object> { ["azp"] = "client-a" },
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
    });

    private sealed class ManualClock(DateTime now) : TimeProvider
    {
        public DateTime Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => new(Now);
    }

    private sealed class CountingJsonWebTokenHandler : JsonWebTokenHandler
    {
        public int Calls { get; private set; }

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Calls++;
            return base.ValidateTokenAsync(token, validationParameters);
        }
    }

    /// <summary>
    /// The realm's keys as the bearer handler's configuration manager holds them (a new set after each fetch), without the
    /// "last known good" fallback, as KeycloakAuthentication sets it.
    /// </summary>
    private sealed class SwitchableConfigurationManager : BaseConfigurationManager, IConfigurationManager<OpenIdConnectConfiguration>
    {
        private OpenIdConnectConfiguration _current;

        public SwitchableConfigurationManager(SecurityKey key)
        {
            _current = With(key);
            UseLastKnownGoodConfiguration = false;
        }

        public void Publish(SecurityKey next) => _current = With(next);

        public override Task<BaseConfiguration> GetBaseConfigurationAsync(CancellationToken cancel) => Task.FromResult<BaseConfiguration>(_current);

        public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel) => Task.FromResult(_current);

        public override void RequestRefresh()
        {
        }

        private static OpenIdConnectConfiguration With(SecurityKey key)
        {
            var configuration = new OpenIdConnectConfiguration();
            configuration.SigningKeys.Add(key);
            return configuration;
        }
    }
}
