namespace PublicSafety.AppHost.Operations;

/// <summary>The built programs the commands run: the services' own executables and the tools under tools/ and bench/.</summary>
internal static class Tools
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    /// <summary><c>&lt;project folder&gt;/bin/&lt;configuration&gt;/net10.0/&lt;assembly&gt;.dll</c>, the way the AppHost's build leaves it.</summary>
    public static string Dll(string projectPath)
    {
        var folder = Path.GetDirectoryName(projectPath)!;
        var dll = Path.Combine(folder, "bin", Configuration, "net10.0", Path.GetFileNameWithoutExtension(projectPath) + ".dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is not built: build the AppHost (./build.sh up builds it).");
    }

    public static string Dll(IDistributedApplicationBuilder builder, string relativeProjectPath) =>
        Dll(Path.Combine(Infrastructure.Checkout.Root(builder), relativeProjectPath));

    public static string Dll(ProjectResource project) => Dll(project.GetProjectMetadata().ProjectPath);
}
