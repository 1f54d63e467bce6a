using PublicSafety.ChartCheck.Tests.Infrastructure;

namespace PublicSafety.ChartCheck.Tests;

/// <summary>Every service project and the gateway is deployed by the chart, and the chart deploys nothing else.</summary>
public sealed class CoverageTests
{
    /// <summary>The templates that must render one object per component.</summary>
    private static readonly (string File, string Kind)[] PerComponent =
    [
        ("deployment.yaml", "Deployment"), ("service.yaml", "Service"), ("configmap.yaml", "ConfigMap"),
        ("serviceaccount.yaml", "ServiceAccount"), ("networkpolicy.yaml", "NetworkPolicy"),
        ("hpa.yaml", "HorizontalPodAutoscaler"), ("pdb.yaml", "PodDisruptionBudget"),
    ];

    [Fact]
    public void TheSolutionHasTheWebProjectsTheChartIsFor()
    {
        Assert.Contains(Checked.Projects, p => p.IsGateway);
        Assert.True(Checked.Projects.Count(p => !p.IsGateway) >= 5, $"found only {string.Join(", ", Checked.Projects)}");
    }

    [Fact]
    public void EveryServiceProjectHasAComponentInValues() => Problems.AssertNone(
        from project in Checked.Projects
        where !Checked.Chart.HasComponent(project.Component)
        select $"{project} has no component in {Chart.Folder}/values.yaml: add components.{project.Component} " +
               $"(image.repository publicsafety/{project.Component}, connectionStrings, egress, calls; see k8s/README.md)");

    [Fact]
    public void EveryComponentIsAProjectOfTheSolution() => Problems.AssertNone(
        from component in Checked.Chart.ComponentNames
        where Checked.Projects.All(p => p.Component != component)
        select $"components.{component} in {Chart.Folder}/values.yaml matches no web project under services/ or gateway/ " +
               $"(expected e.g. services/<Name>/PublicSafety.<Name>.csproj whose kebab-case name is {component})");

    [Fact]
    public void EveryComponentIsRenderedAsDeploymentServiceAndTheRest()
    {
        var chart = Checked.Chart;
        var problems = new List<string>();
        foreach (var (file, kind) in PerComponent)
        {
            if (!chart.RangesOverComponents(file))
            {
                problems.Add($"templates/{file} does not range over .Values.components, so not every component gets a {kind}");
            }
            else if (chart.SkeletonOf(file, kind) is null)
            {
                problems.Add($"templates/{file} renders no {kind}");
            }
        }

        foreach (var project in Checked.ProjectsWithComponents)
        {
            var c = chart.Component(project.Component);
            if (!c.IsTrue("enabled"))
            {
                problems.Add($"{project}: components.{project.Component}.enabled is not true in values.yaml, so it gets no Deployment or Service");
            }

            if (!int.TryParse(c.Scalar("ports.http"), out var http) || http is < 1 or > 65535)
            {
                problems.Add($"{project}: components.{project.Component}.ports.http is not a port number");
            }

            foreach (var flag in new[] { "autoscaling.enabled", "podDisruptionBudget.enabled" })
            {
                if (!c.IsTrue(flag))
                {
                    problems.Add($"{project}: components.{project.Component}.{flag} is off in values.yaml (the safe default is on)");
                }
            }
        }

        Problems.AssertNone(problems);
    }
}
