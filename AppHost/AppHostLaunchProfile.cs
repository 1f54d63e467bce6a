using System.Reflection;
using System.Text.Json;

namespace PublicSafety.AppHost;

/// <summary>
/// <c>./build.sh up</c> starts the built AppHost itself: <c>dotnet run --no-build</c> first evaluates the project with
/// MSBuild (minutes on a loaded two-core machine) and then stays beside the AppHost as a launcher. Started so, with
/// <c>DOTNET_LAUNCH_PROFILE</c> naming a profile of <c>Properties/launchSettings.json</c>, the AppHost applies that profile
/// as <c>dotnet run</c> would: its environment variables (those not already set) and its application URL.
/// </summary>
internal static class AppHostLaunchProfile
{
    public static void ApplyWhenStartedDirectly()
    {
        // dotnet run has applied the profile already (it always sets ASPNETCORE_URLS); the tests use none.
        if (Environment.GetEnvironmentVariable("DOTNET_LAUNCH_PROFILE") is not { Length: > 0 } name ||
            Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is not null)
        {
            return;
        }

        var projectDirectory = typeof(AppHostLaunchProfile).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "apphostprojectpath").Value!;
        using var settings = JsonDocument.Parse(File.ReadAllText(Path.Combine(projectDirectory, "Properties", "launchSettings.json")));
        if (!settings.RootElement.GetProperty("profiles").TryGetProperty(name, out var profile))
        {
            throw new InvalidOperationException($"AppHost/Properties/launchSettings.json has no launch profile '{name}'");
        }

        if (profile.TryGetProperty("environmentVariables", out var variables))
        {
            foreach (var variable in variables.EnumerateObject())
            {
                SetIfAbsent(variable.Name, variable.Value.GetString());
            }
        }

        if (profile.TryGetProperty("applicationUrl", out var urls))
        {
            SetIfAbsent("ASPNETCORE_URLS", urls.GetString());
        }
    }

    private static void SetIfAbsent(string name, string? value)
    {
        if (Environment.GetEnvironmentVariable(name) is null)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }
}
