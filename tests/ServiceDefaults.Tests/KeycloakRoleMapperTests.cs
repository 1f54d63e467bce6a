using System.Security.Claims;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.ServiceDefaults.Tests;

public class KeycloakRoleMapperTests
{
    private static ClaimsPrincipal Principal(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(c => new Claim(c.Type, c.Value)), "test"));

    [Fact]
    public void RealmRolesAndTheApiClientsRolesBecomeRoles()
    {
        var principal = Principal(
            ("realm_access", """{"roles":["crisis.read","offline_access"]}"""),
            ("resource_access", """{"public-safety-api":{"roles":["crisis.placement"]},"account":{"roles":["manage-account"]}}"""));

        var roles = KeycloakRoleMapper.ReadRoles(principal, "public-safety-api").ToArray();

        Assert.Equal(["crisis.read", "offline_access", "crisis.placement"], roles);
    }

    [Fact]
    public void AnotherClientsRoleWithAPlatformNameGrantsNothing()
    {
        var principal = Principal(("resource_access", """{"some-other-client":{"roles":["probation.officer"]}}"""));

        Assert.Empty(KeycloakRoleMapper.ReadRoles(principal, "public-safety-api"));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"roles":"probation.officer"}""")]
    [InlineData("""{"roles":[1,null,""]}""")]
    [InlineData("[]")]
    public void MalformedRoleClaimsAreIgnored(string realmAccess)
    {
        Assert.Empty(KeycloakRoleMapper.ReadRoles(Principal(("realm_access", realmAccess)), "public-safety-api"));
    }
}
