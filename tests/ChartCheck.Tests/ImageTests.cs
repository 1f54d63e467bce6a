using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using PublicSafety.ChartCheck.Tests.Infrastructure;

namespace PublicSafety.ChartCheck.Tests;

/// <summary>The chart runs the images that `dotnet publish -t:PublishContainer` makes of each project.</summary>
public sealed class ImageTests
{
    [Fact]
    public async Task ImagesAreTheOnesTheProjectsPublish()
    {
        var problems = new List<string>();
        var version = Regex.Match(Repository.Read("Containers.targets"), @"<PublicSafetyVersion[^>]*>(?<v>[^<]+)<").Groups["v"].Value;
        if (version != Checked.Chart.AppVersion)
        {
            problems.Add($"Chart.yaml appVersion {Checked.Chart.AppVersion} differs from PublicSafetyVersion {version} in Containers.targets, the tag the images get");
        }

        var evaluations = Checked.ProjectsWithComponents.Select(p => (Project: p, Properties: EvaluateAsync(p.ProjectFile))).ToList();
        foreach (var (project, evaluation) in evaluations)
        {
            var properties = await evaluation;
            var image = Checked.Chart.Component(project.Component).Map("image");
            var tag = string.IsNullOrEmpty(image.Scalar("tag")) ? Checked.Chart.AppVersion : image.Scalar("tag");
            Expect(problems, project, "ContainerRepository", properties, image.Scalar("repository"), $"components.{project.Component}.image.repository");
            Expect(problems, project, "ContainerImageTag", properties, tag, $"the tag the chart runs (components.{project.Component}.image.tag or appVersion)");
            Expect(problems, project, "ContainerUser", properties, "app", "the non-root user 1654 the chart runs as");
        }

        Problems.AssertNone(problems);
    }

    private static void Expect(List<string> problems, WebProject project, string property, IReadOnlyDictionary<string, string> actual, string? expected, string what)
    {
        if (actual.GetValueOrDefault(property) != expected)
        {
            problems.Add($"{project}: {property} is '{actual.GetValueOrDefault(property)}' but {what} is '{expected}'");
        }
    }

    /// <summary>The project's container properties as MSBuild evaluates them (no build, no restore).</summary>
    private static async Task<IReadOnlyDictionary<string, string>> EvaluateAsync(string projectFile)
    {
        var info = new ProcessStartInfo("dotnet",
            ["msbuild", Repository.PathOf(projectFile), "-nologo", "-getProperty:ContainerRepository", "-getProperty:ContainerImageTag", "-getProperty:ContainerUser"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Repository.Root,
        };
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using var process = Process.Start(info)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"dotnet msbuild {projectFile} -getProperty failed: {await output}{await error}");
        using var json = JsonDocument.Parse(await output);
        return json.RootElement.GetProperty("Properties").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }
}
