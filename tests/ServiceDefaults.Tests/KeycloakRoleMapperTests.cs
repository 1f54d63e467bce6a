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

    [Fact]
    public void TheRoleCacheMapsEachRoleSetOnceAndGivesDistinctRoles()
    {
        var cache = new KeycloakRoleCache("public-safety-api");
        const string realm = """{"roles":["crisis.read","crisis.read"]}""";
        const string resource = """{"public-safety-api":{"roles":["crisis.placement","crisis.read"]}}""";

        var first = cache.RolesOf(Principal(("realm_access", realm), ("resource_access", resource), ("azp", "client-a")));
        var second = cache.RolesOf(Principal(("azp", "client-b"), ("resource_access", resource), ("realm_access", realm)));

        Assert.Equal(["crisis.read", "crisis.placement"], first);
        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void TheRoleCacheTellsRoleSetsApartByTheirExactText()
    {
        var cache = new KeycloakRoleCache("public-safety-api");

        var reader = cache.RolesOf(Principal(("realm_access", """{"roles":["crisis.read"]}""")));
        var officer = cache.RolesOf(Principal(("resource_access", """{"public-safety-api":{"roles":["crisis.read"]}}""")));
        var other = cache.RolesOf(Principal(("resource_access", """{"other-client":{"roles":["crisis.read"]}}""")));
        var none = cache.RolesOf(Principal(("azp", "client-a")));

        Assert.Equal(["crisis.read"], reader);
        Assert.Equal(["crisis.read"], officer);
        Assert.Empty(other);
        Assert.Empty(none);
        Assert.Equal(4, cache.Count);
    }

    [Fact]
    public void ARepeatedRoleClaimIsMappedWholeAndNotRemembered()
    {
        var cache = new KeycloakRoleCache("public-safety-api");

        var roles = cache.RolesOf(Principal(
            ("realm_access", """{"roles":["crisis.read"]}"""), ("realm_access", """{"roles":["probation.officer"]}""")));

        Assert.Equal(["crisis.read", "probation.officer"], roles);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void TheRoleCacheStaysWithinItsCapacity()
    {
        var cache = new KeycloakRoleCache("public-safety-api", capacity: 2);

        foreach (var role in new[] { "a", "b", "c" })
        {
            cache.RolesOf(Principal(("realm_access", $$"""{"roles":["{{role}}"]}""")));
        }

        // "c" found the cache full and emptied it.
        Assert.Equal(1, cache.Count);
    }
}
