using System.Text.Json;
using System.Text.RegularExpressions;
using PublicSafety.ChartCheck.Tests.Infrastructure;

namespace PublicSafety.ChartCheck.Tests;

/// <summary>
/// The realm export (keycloak/realm-export.json) ships no usable secret, gives every service account an explicit scope,
/// and the chart's import Job demands every secret the realm names.
/// </summary>
public sealed partial class RealmTests
{
    private const string RealmFile = "keycloak/realm-export.json";
    private const string National = "platform.national";

    private static readonly Lazy<JsonElement> Realm = new(() => JsonDocument.Parse(Repository.Read(RealmFile)).RootElement);

    [Fact]
    public void EveryConfidentialClientsSecretIsAPlaceholderWithoutAFallback()
    {
        var problems = new List<string>();
        foreach (var client in Clients().Where(c => !c.Bool("publicClient")))
        {
            var id = client.Text("clientId");
            var expected = $"${{{SecretVariable(id)}}}";
            var secret = client.TryGetProperty("secret", out var s) ? s.GetString() : null;
            if (secret is null)
            {
                // Keycloak then generates a secret nobody knows: harmless for a client that can get no token.
                if (client.Bool("serviceAccountsEnabled") || client.Bool("standardFlowEnabled") || client.Bool("directAccessGrantsEnabled"))
                {
                    problems.Add($"{RealmFile}: client {id} can get tokens but has no secret placeholder; set \"secret\": \"{expected}\"");
                }
            }
            else if (secret != expected)
            {
                problems.Add($"{RealmFile}: client {id} has the secret '{secret}'; it must be exactly {expected}: no fallback after a colon " +
                             "(a value in the repository is a published secret) and no literal secret");
            }
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void EveryServiceAccountHasExactlyOneScopeNationalOrAValidRegion()
    {
        var problems = new List<string>();
        if (!RealmRoles().Contains(National))
        {
            problems.Add($"{RealmFile}: the realm role {National} is missing; national scope is granted by it alone");
        }

        var users = Realm.Value.GetProperty("users").EnumerateArray()
            .Where(u => u.TryGetProperty("serviceAccountClientId", out _))
            .ToDictionary(u => u.Text("serviceAccountClientId"), StringComparer.Ordinal);
        var regionPattern = RegionPattern();
        foreach (var client in Clients().Where(c => c.Bool("serviceAccountsEnabled")))
        {
            var id = client.Text("clientId");
            if (!users.TryGetValue(id, out var user))
            {
                problems.Add($"{RealmFile}: client {id} has a service account but no service-account-{id} user in users; its tokens would have no scope (403 everywhere)");
                continue;
            }

            var national = user.TryGetProperty("realmRoles", out var roles) && roles.EnumerateArray().Any(r => r.GetString() == National);
            var regions = user.TryGetProperty("attributes", out var attributes) && attributes.TryGetProperty("region", out var r)
                ? r.EnumerateArray().Select(x => x.GetString() ?? "").ToList()
                : [];
            if (national == (regions.Count > 0))
            {
                problems.Add($"{RealmFile}: service-account-{id} must have either the role {National} or a region attribute, not " +
                             (national ? "both (the region would silently narrow it)" : "neither (its tokens would have no scope)"));
            }

            problems.AddRange(regions.Where(x => regions.Count > 1 || !regionPattern.IsMatch(x))
                .Select(x => $"{RealmFile}: service-account-{id} has the region '{x}'; it must be one ISO 3166-2:KZ code the realm's user profile accepts"));
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void OperatorsAreNationalAndCrossRegionPlacementIsHeldOnlyWithPlacement()
    {
        var problems = new List<string>();
        var operators = Realm.Value.GetProperty("groups").EnumerateArray().FirstOrDefault(g => g.Text("name") == "operators");
        if (operators.ValueKind != JsonValueKind.Object || !operators.GetProperty("realmRoles").EnumerateArray().Any(r => r.GetString() == National))
        {
            problems.Add($"{RealmFile}: the group operators must grant {National}");
        }

        foreach (var user in Realm.Value.GetProperty("users").EnumerateArray())
        {
            var roles = user.TryGetProperty("realmRoles", out var r) ? r.EnumerateArray().Select(x => x.GetString()).ToHashSet() : [];
            if (roles.Contains("crisis.placement.crossregion") && !roles.Contains("crisis.placement"))
            {
                problems.Add($"{RealmFile}: {user.Text("username")} holds crisis.placement.crossregion without crisis.placement; it is a widening of placement, never of reading");
            }
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void EveryRoleTheCodeDeclaresIsARealmRoleAndEveryGrantedRoleExists()
    {
        var defined = RealmRoles();
        var declared = RoleConstant().Matches(Repository.Read("ServiceDefaults/Auth/Roles.cs")).Select(m => m.Groups["role"].Value);
        var granted = Realm.Value.GetProperty("users").EnumerateArray().Concat(Realm.Value.GetProperty("groups").EnumerateArray())
            .SelectMany(u => u.TryGetProperty("realmRoles", out var r) ? r.EnumerateArray().Select(x => x.GetString() ?? "") : []);

        Problems.AssertNone(declared.Where(r => !defined.Contains(r)).Select(r => $"{RealmFile}: ServiceDefaults/Auth/Roles.cs declares {r}, which the realm does not define")
            .Concat(granted.Where(r => !defined.Contains(r)).Select(r => $"{RealmFile}: the role {r} is granted but not defined")));
    }

    [Fact]
    public void TheImportJobRequiresEverySecretAndTheReadmeNamesThemAll()
    {
        var template = Checked.Chart.Templates["realm-import.yaml"];
        var problems = new List<string>();
        if (!template.Contains("regexFindAll \"PS_CLIENT_SECRET_", StringComparison.Ordinal) || !template.Contains("secretKeyRef", StringComparison.Ordinal)
            || template.Contains("envFrom", StringComparison.Ordinal))
        {
            problems.Add("templates/realm-import.yaml must take each PS_CLIENT_SECRET_* the realm names as its own required secretKeyRef (not envFrom, which lets a missing key through)");
        }

        if (!template.Contains("required \"keycloak.realmImport.clientSecretsSecret", StringComparison.Ordinal))
        {
            problems.Add("templates/realm-import.yaml must fail rendering without keycloak.realmImport.clientSecretsSecret");
        }

        var readme = Repository.Read("k8s/README.md");
        foreach (var client in Clients().Where(c => c.TryGetProperty("secret", out _)))
        {
            var name = SecretVariable(client.Text("clientId"))["PS_CLIENT_SECRET_".Length..];
            if (!Regex.IsMatch(readme, $@"\b{name}\b"))
            {
                problems.Add($"k8s/README.md does not name {SecretVariable(client.Text("clientId"))} among the secrets to create (client {client.Text("clientId")})");
            }
        }

        Problems.AssertNone(problems);
    }

    /// <summary>police-duty-unit → PS_CLIENT_SECRET_POLICE_DUTY_UNIT.</summary>
    private static string SecretVariable(string clientId) => "PS_CLIENT_SECRET_" + clientId.ToUpperInvariant().Replace('-', '_');

    private static IEnumerable<JsonElement> Clients() => Realm.Value.GetProperty("clients").EnumerateArray();

    private static HashSet<string> RealmRoles() =>
        Realm.Value.GetProperty("roles").GetProperty("realm").EnumerateArray().Select(r => r.Text("name")).ToHashSet(StringComparer.Ordinal);

    /// <summary>The pattern the realm's declarative user profile validates <c>region</c> with, so that an import accepts it.</summary>
    private static Regex RegionPattern()
    {
        var profile = Realm.Value.GetProperty("components").GetProperty("org.keycloak.userprofile.UserProfileProvider")[0]
            .GetProperty("config").GetProperty("kc.user.profile.config")[0].GetString()!;
        var region = JsonDocument.Parse(profile).RootElement.GetProperty("attributes").EnumerateArray().First(a => a.Text("name") == "region");
        return new Regex(region.GetProperty("validations").GetProperty("pattern").GetProperty("pattern").GetString()!);
    }

    [GeneratedRegex("""public const string \w+ = "(?<role>[a-z]+(?:\.[a-z]+)+)";""")]
    private static partial Regex RoleConstant();
}

internal static class JsonElementExtensions
{
    public static string Text(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) ? value.GetString() ?? "" : "";

    public static bool Bool(this JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.True;
}
