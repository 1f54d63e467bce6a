using System.Diagnostics;

namespace PublicSafety.AppHost.Infrastructure;

/// <summary>Whether containers can run here: the runtime Aspire would use answers <c>info</c> (a client alone is not enough).</summary>
public static class ContainerRuntime
{
    public static InfrastructureMode Choose(IDistributedApplicationBuilder builder, PlatformSettings settings)
    {
        if (settings.Infrastructure != InfrastructureMode.Auto)
        {
            return settings.Infrastructure;
        }

        var runtime = builder.Configuration["ASPIRE_CONTAINER_RUNTIME"]
            ?? builder.Configuration["DOTNET_ASPIRE_CONTAINER_RUNTIME"]
            ?? "docker";
        return Answers(runtime) ? InfrastructureMode.Containers : InfrastructureMode.HostProcesses;
    }

    private static bool Answers(string runtime)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (process is null)
            {
                return false;
            }

            // A daemon that does not answer in 10 s cannot run the system either.
            if (!process.WaitForExit(TimeSpan.FromSeconds(10)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0 && process.StandardOutput.ReadToEnd().Trim().Length > 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // not installed
        }
    }
}
