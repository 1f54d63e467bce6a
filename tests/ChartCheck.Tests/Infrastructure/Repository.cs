using System.Text.RegularExpressions;

namespace PublicSafety.ChartCheck.Tests.Infrastructure;

/// <summary>A web project of the platform (a service or the gateway) and the chart component it must have.</summary>
/// <param name="Folder">Its folder relative to the repository root, with forward slashes: <c>services/CrisisCapacity</c>.</param>
/// <param name="ProjectFile">Its .csproj, relative to the repository root.</param>
/// <param name="Component">The chart component (and image) name: <c>crisis-capacity</c>.</param>
public sealed record WebProject(string Folder, string ProjectFile, string Component)
{
    public bool IsGateway => Folder == "gateway";

    public override string ToString() => Folder;
}

public static partial class Repository
{
    public static string Root { get; } = FindRoot();

    public static string PathOf(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relative) => File.ReadAllText(PathOf(relative));

    /// <summary>
    /// The web projects the chart must deploy: those of PublicSafety.sln and those on disk under services/ and gateway/
    /// (a project not yet in the solution still needs its chart entry).
    /// </summary>
    public static IReadOnlyList<WebProject> WebProjects()
    {
        var fromSolution = SolutionProjectLine().Matches(Read("PublicSafety.sln"))
            .Select(m => m.Groups["path"].Value.Replace('\\', '/'));
        var onDisk = new[] { "services", "gateway" }
            .Where(d => Directory.Exists(PathOf(d)))
            .SelectMany(d => Directory.EnumerateFiles(PathOf(d), "*.csproj", SearchOption.AllDirectories))
            .Select(p => Path.GetRelativePath(Root, p).Replace('\\', '/'))
            .Where(p => !p.Contains("/bin/") && !p.Contains("/obj/"));
        return fromSolution.Concat(onDisk)
            .Where(p => p.StartsWith("services/", StringComparison.Ordinal) || p.StartsWith("gateway/", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .Where(p => File.Exists(PathOf(p)) && WebSdk().IsMatch(Read(p)))
            .Select(p => new WebProject(Path.GetDirectoryName(p)!.Replace('\\', '/'), p, ComponentName(p)))
            .OrderBy(p => p.Folder, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>PublicSafety.CrisisCapacity.csproj → crisis-capacity; the same rule as Containers.targets.</summary>
    public static string ComponentName(string projectFile)
    {
        var name = Path.GetFileNameWithoutExtension(projectFile);
        name = name.StartsWith("PublicSafety.", StringComparison.Ordinal) ? name["PublicSafety.".Length..] : name;
        return KebabBoundary().Replace(name, "$1-$2").ToLowerInvariant();
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PublicSafety.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"PublicSafety.sln not found above {AppContext.BaseDirectory}");
    }

    [GeneratedRegex("""^Project\("[^"]*"\)\s*=\s*"[^"]*",\s*"(?<path>[^"]+\.csproj)""", RegexOptions.Multiline)]
    private static partial Regex SolutionProjectLine();

    [GeneratedRegex("""<Project\s+Sdk="Microsoft\.NET\.Sdk\.Web""")]
    private static partial Regex WebSdk();

    [GeneratedRegex("([a-z0-9])([A-Z])")]
    private static partial Regex KebabBoundary();
}
