using System.Text.RegularExpressions;
using PublicSafety.ChartCheck.Tests.Infrastructure;

namespace PublicSafety.ChartCheck.Tests;

/// <summary>
/// The AppHost runs the system locally, the chart deploys it: every project the AppHost runs is a component of the chart,
/// and every setting the AppHost gives a project is one the chart gives too, unless it is local on purpose.
/// </summary>
public sealed partial class AppHostCoverageTests
{
    /// <summary>Settings only a local run has, and why the chart does without them.</summary>
    private static readonly Dictionary<string, string> LocalOnly = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "the AppHost runs Development; the chart's images run Production",
        ["Keycloak__DevelopmentSigningKeyFile"] = "honoured only in Development; a cluster trusts the realm's keys",
        ["Keycloak__ServiceAccountRoles"] = "Development only, without Keycloak: the roles of the realm export's client",
        ["Keycloak__RequireHttpsMetadata"] = "the local Keycloak container serves no TLS; a cluster's does",
        ["Gateway__GrpcUrl"] = "the chart binds the gateway's gRPC port through Kestrel endpoints (KestrelEndpointPorts)",
        ["Grpc__Port"] = "the chart binds each service's gRPC port through Kestrel endpoints",
    };

    [Fact]
    public void EveryProjectTheAppHostRunsIsAComponentOfTheChart()
    {
        var run = AppHostProjects();
        Assert.NotEmpty(run);
        Problems.AssertNone(
            from name in run
            where !Checked.Chart.HasComponent(name)
            select $"the AppHost runs {name} but {Chart.Folder}/values.yaml has no components.{name}: the chart would not deploy it");
        Problems.AssertNone(
            from component in Checked.Chart.ComponentNames
            where !run.Contains(component)
            select $"components.{component} is deployed by the chart but AppHost/Program.cs does not run it: add it there too");
    }

    [Fact]
    public void EverySettingTheAppHostGivesIsSetByTheChart()
    {
        var chartKeys = Checked.Chart.ComponentNames
            .SelectMany(c => Checked.Chart.EnvironmentFor(c).Keys)
            .Select(Normalise).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var given = AppHostSources().SelectMany(s => EnvironmentKey().Matches(s).Select(m => m.Groups[1].Value)).Distinct();
        Problems.AssertNone(
            from key in given
            where !LocalOnly.ContainsKey(Normalise(key)) && !chartKeys.Contains(Normalise(key))
            select $"the AppHost sets {key} but no component of the chart does: set it in {Chart.Folder} (or say here why it is local only)");
    }

    private static HashSet<string> AppHostProjects() =>
        ProjectName().Matches(Repository.Read("AppHost/Program.cs")).Select(m => m.Groups[1].Value).ToHashSet();

    private static IEnumerable<string> AppHostSources() =>
        Directory.EnumerateFiles(Repository.PathOf("AppHost"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(File.ReadAllText);

    /// <summary>An indexed key (<c>Keycloak__ServiceAccountRoles__0</c>) is its list's key.</summary>
    private static string Normalise(string key) => IndexSuffix().Replace(key, "");

    [GeneratedRegex("""Add(?:PlatformService|PlatformProject)<Projects\.\w+>\("([a-z-]+)"\s*,""")]
    private static partial Regex ProjectName();

    [GeneratedRegex("""WithEnvironment\(\$?"([A-Za-z_]+__[A-Za-z_]+)""")]
    private static partial Regex EnvironmentKey();

    [GeneratedRegex("""__\d*$""")]
    private static partial Regex IndexSuffix();
}
