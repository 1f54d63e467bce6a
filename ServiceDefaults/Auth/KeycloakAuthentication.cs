using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace PublicSafety.ServiceDefaults.Auth;

public static class KeycloakAuthentication
{
    // Keycloak signs with RS256 by default; listing the asymmetric algorithms also shuts out "none" and HMAC confusion.
    private static readonly string[] AllowedAlgorithms =
        [SecurityAlgorithms.RsaSha256, SecurityAlgorithms.RsaSha384, SecurityAlgorithms.RsaSha512,
         SecurityAlgorithms.RsaSsaPssSha256, SecurityAlgorithms.EcdsaSha256];

    /// <summary>JWT bearer authentication for tokens of the Keycloak realm, plus the platform's named policies.</summary>
    public static IHostApplicationBuilder AddKeycloakAuthentication(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection(KeycloakOptions.Section).Get<KeycloakOptions>() ?? new KeycloakOptions();
        if (string.IsNullOrWhiteSpace(options.Authority))
        {
            throw new InvalidOperationException("Keycloak:Authority is not configured: set it to the realm URL, e.g. https://keycloak.example/realms/public-safety.");
        }

        if (options.SigningKeyRefreshInterval < BaseConfigurationManager.MinimumAutomaticRefreshInterval)
        {
            throw new InvalidOperationException($"Keycloak:SigningKeyRefreshInterval must be at least {BaseConfigurationManager.MinimumAutomaticRefreshInterval}.");
        }

        var developmentKey = builder.Environment.IsDevelopment() ? LoadDevelopmentKey(options.DevelopmentSigningKeyFile) : null;
        var resourceClientId = options.ResourceClientId ?? options.Audience;

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            jwt.MapInboundClaims = false;
            jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
            jwt.Audience = options.Audience;
            jwt.AutomaticRefreshInterval = options.SigningKeyRefreshInterval;
            jwt.TokenValidationParameters = new TokenValidationParameters
            {
                ValidIssuer = options.Authority.TrimEnd('/'),
                ValidAudience = options.Audience,
                ValidAlgorithms = AllowedAlgorithms,
                RequireSignedTokens = true,
                RequireExpirationTime = true,
                ValidateLifetime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = KeycloakClaims.PreferredUsername,
                RoleClaimType = ClaimTypes.Role,
            };

            if (developmentKey is not null)
            {
                // No realm to ask for keys locally: trust the development key and nothing else.
                jwt.TokenValidationParameters.IssuerSigningKey = developmentKey;
            }
            else
            {
                jwt.Authority = options.Authority;
            }

            jwt.Events = new JwtBearerEvents { OnTokenValidated = ctx => OnTokenValidated(ctx, resourceClientId) };
        });

        // After JwtBearer's own post-configuration, which creates the configuration manager: its "last known good"
        // fallback would still accept a key the realm removed for an hour after that key last verified a token.
        builder.Services.PostConfigure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme, jwt =>
        {
            if (jwt.ConfigurationManager is BaseConfigurationManager manager)
            {
                manager.UseLastKnownGoodConfiguration = false;
            }
        });

        builder.Services.AddValidatedTokenCache(options.ValidatedTokenLifetime);
        builder.Services.AddAuthorization(o => o.AddPlatformPolicies());
        return builder;
    }

    private static Task OnTokenValidated(TokenValidatedContext context, string resourceClientId)
    {
        var principal = context.Principal!;

        // Keycloak marks access tokens "Bearer"; an ID or refresh token presented as a bearer token is refused.
        var type = principal.FindFirstValue("typ");
        if (type is not null && !string.Equals(type, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            context.Fail("Only access tokens are accepted.");
            return Task.CompletedTask;
        }

        var region = principal.FindFirstValue(KeycloakClaims.Region);
        if (region is not null && !Regions.IsValid(region))
        {
            context.Fail("The region claim is not an ISO 3166-2:KZ region code.");
            return Task.CompletedTask;
        }

        var identity = (ClaimsIdentity)principal.Identity!;
        // Once per distinct token, not per request: the authenticated identity is remembered (AuthenticatedPrincipalCache).
        // Read in full before adding: the roles are read from the claims of the identity they are added to.
        foreach (var role in KeycloakRoleMapper.ReadRoles(principal, resourceClientId).Distinct(StringComparer.Ordinal).ToArray())
        {
            identity.AddClaim(new Claim(ClaimTypes.Role, role));
        }

        return Task.CompletedTask;
    }

    private static SecurityKey? LoadDevelopmentKey(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"Keycloak:DevelopmentSigningKeyFile '{path}' does not exist; run ./build.sh token once to create it.");
        }

        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(path));
        // Only the public half is needed to validate; the key id is what the token tool puts in the header.
        return new RsaSecurityKey(rsa.ExportParameters(false)) { KeyId = DevelopmentKeyId };
    }

    /// <summary>The <c>kid</c> of tokens signed with the local development key.</summary>
    public const string DevelopmentKeyId = DevelopmentTokens.KeyId;
}
