using PublicSafety.ChartCheck.Tests.Infrastructure;
using YamlDotNet.Core;

namespace PublicSafety.ChartCheck.Tests;

/// <summary>The chart's files are well-formed without Helm: templates, values files, metadata, the shipped realm.</summary>
public sealed class TemplateTests
{
    [Fact]
    public void EveryTemplateParsesAsYamlOnceTheActionsAreSetAside()
    {
        var problems = new List<string>();
        foreach (var (file, text) in Checked.Chart.Templates.Where(t => t.Key.EndsWith(".yaml", StringComparison.Ordinal)))
        {
            try
            {
                if (Yaml.Documents(GoTemplate.Skeleton(text)).Count == 0)
                {
                    problems.Add($"templates/{file} holds no YAML object");
                }
            }
            catch (YamlException e)
            {
                problems.Add($"templates/{file}:{e.Start.Line}: {e.Message}{(e.InnerException is null ? "" : $" ({e.InnerException.Message})")}");
            }
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void TemplateActionsAreBalanced() => Problems.AssertNone(
        Checked.Chart.Templates.SelectMany(t => GoTemplate.Unbalanced(t.Value, $"templates/{t.Key}")));

    [Fact]
    public void ValuesFilesParseAndNameOnlyKnownComponents()
    {
        var known = Checked.Chart.ComponentNames.ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var file in Checked.ValuesFiles)
        {
            try
            {
                var values = Yaml.Load(Repository.Read($"{Chart.Folder}/{file}"));
                problems.AddRange(values.Map("components").Keys().Where(c => !known.Contains(c))
                    .Select(c => $"{file}: components.{c} is not a component of values.yaml (a typo would be silently ignored by Helm)"));
                var overlay = SecurityTests.Overlay(file);
                foreach (var component in overlay.Map("components").Keys())
                {
                    foreach (var callee in Yaml.DeepMerge(overlay.Map("componentDefaults"), overlay.Map("components").Map(component)).Items("calls"))
                    {
                        if (!known.Contains(callee.ToString()))
                        {
                            problems.Add($"{file}: components.{component}.calls names {callee}, which is not a component");
                        }
                    }
                }
            }
            catch (YamlException e)
            {
                problems.Add($"{file}:{e.Start.Line}: {e.Message}");
            }
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void ChartIsAHelm3ApplicationChart()
    {
        var metadata = Checked.Chart.Metadata;
        var problems = new List<string>();
        if (metadata.Scalar("apiVersion") != "v2")
        {
            problems.Add("Chart.yaml: apiVersion must be v2 (Helm 3)");
        }

        foreach (var field in new[] { "name", "version", "appVersion", "kubeVersion" })
        {
            if (string.IsNullOrWhiteSpace(metadata.Scalar(field)))
            {
                problems.Add($"Chart.yaml: {field} is missing");
            }
        }

        Problems.AssertNone(problems);
    }

    [Fact]
    public void RealmExportShippedWithTheChartIsTheRepositorysOne()
    {
        const string source = "keycloak/realm-export.json";
        const string copy = $"{Chart.Folder}/files/realm-export.json";
        if (!File.Exists(Repository.PathOf(source)))
        {
            Assert.False(File.Exists(Repository.PathOf(copy)), $"{copy} exists but {source} does not");
            return;
        }

        Assert.True(File.Exists(Repository.PathOf(copy)) && Repository.Read(copy) == Repository.Read(source),
            $"{copy} differs from {source}: the realm import Job would import a stale realm; run cp {source} {copy}");
    }
}
