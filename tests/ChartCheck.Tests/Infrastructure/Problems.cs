namespace PublicSafety.ChartCheck.Tests.Infrastructure;

public static class Problems
{
    /// <summary>Fails with every problem listed, one a line, so one run names everything that disagrees.</summary>
    public static void AssertNone(IEnumerable<string> problems)
    {
        var list = problems.Distinct(StringComparer.Ordinal).ToList();
        if (list.Count > 0)
        {
            Assert.Fail($"{list.Count} problem(s):{Environment.NewLine}  - {string.Join($"{Environment.NewLine}  - ", list)}");
        }
    }
}

/// <summary>What every test reads, loaded once.</summary>
public static class Checked
{
    private static readonly Lazy<Chart> LazyChart = new(Chart.Load);
    private static readonly Lazy<IReadOnlyList<WebProject>> LazyProjects = new(Repository.WebProjects);
    private static readonly Lazy<IReadOnlyDictionary<WebProject, CodeConfiguration>> LazyCode =
        new(() => LazyProjects.Value.ToDictionary(p => p, CodeConfiguration.Scan));

    public static Chart Chart => LazyChart.Value;

    public static IReadOnlyList<WebProject> Projects => LazyProjects.Value;

    public static CodeConfiguration Code(WebProject project) => LazyCode.Value[project];

    /// <summary>The projects that have a component in values.yaml (the others fail the coverage test, once).</summary>
    public static IEnumerable<WebProject> ProjectsWithComponents => Projects.Where(p => Chart.HasComponent(p.Component));

    public static readonly string[] ValuesFiles = ["values.yaml", "values-dev.yaml", "values-prod.yaml"];
}
