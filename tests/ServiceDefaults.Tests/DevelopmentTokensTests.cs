using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.ServiceDefaults.Tests;

public class DevelopmentTokensTests
{
    [Fact]
    public void EachTokenSignsWithAFreshlyLoadedKeyOfTheSamePair()
    {
        using var pair = RSA.Create(2048);
        var pem = pair.ExportRSAPrivateKeyPem();
        // As the services' development token provider does: load the PEM, sign, dispose; again for the next token.
        for (var i = 0; i < 3; i++)
        {
            using var key = RSA.Create();
            key.ImportFromPem(pem);
            var token = DevelopmentTokens.Create(key, "http://127.0.0.1/realms/publicsafety", "public-safety-api", "probation", null, null,
                ["cameras.read"], DateTime.UtcNow, TimeSpan.FromMinutes(5));

            Assert.Equal("service-account-probation", new JsonWebToken(token).GetClaim("preferred_username").Value);
        }
    }
}
