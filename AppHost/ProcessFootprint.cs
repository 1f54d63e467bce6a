using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Aspire.Hosting.Eventing;
using Aspire.Hosting.Lifecycle;
using Microsoft.Extensions.Configuration;

namespace PublicSafety.AppHost;

/// <summary>
/// What the AppHost itself makes the machine carry besides the system (bench/apphost: the target is AppHost + DCP +
/// dashboard under 400 MB idle, and the developer pays for the launchers too).
/// </summary>
internal static class ProcessFootprint
{
    /// <summary>
    /// DCP starts a project as <c>dotnet run --project ... --no-build</c>, and that launcher stays alive beside the service
    /// (~64 MB PSS each). The AppHost's build has already built the project, so DCP runs the built executable itself, in
    /// the project folder as <c>dotnet run</c> would. The resource stays a project (dashboard, endpoints, telemetry,
    /// restart); only under an IDE's debug session, which launches projects itself, or before the first build does the
    /// launcher remain.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithBuiltExecutable(this IResourceBuilder<ProjectResource> project)
    {
        var builder = project.ApplicationBuilder;
        if (builder.Configuration["DEBUG_SESSION_PORT"] is not null ||
            !project.Resource.TryGetLastAnnotation<IProjectMetadata>(out var metadata))
        {
            return project;
        }

        var folder = Path.GetDirectoryName(metadata.ProjectPath)!;
        var executable = Path.Combine(folder, "bin", BuildConfiguration, TargetFramework, Path.GetFileNameWithoutExtension(metadata.ProjectPath));
        if (!File.Exists(executable))
        {
            return project;
        }

        project.WithAnnotation(new ExecutableAnnotation { Command = executable, WorkingDirectory = folder }, ResourceAnnotationMutationBehavior.Replace);
        // The executable finds the runtime the AppHost runs on, wherever the SDK is installed (dotnet run did this).
        return Environment.GetEnvironmentVariable("DOTNET_ROOT") is null
            ? project.WithEnvironment("DOTNET_ROOT", DotnetRoot)
            : project;
    }

    /// <summary>
    /// The dashboard and DCP, which the AppHost starts.
    /// <para>The dashboard keeps telemetry in memory, which the operator needs, so its heap is not capped: it gets the
    /// workstation collector without a background GC thread and a small gen0 budget (the default follows the CPU's cache
    /// size), which is most of what an idle heap holds beyond its data.</para>
    /// <para>DCP starts a <c>dcp monitor-process</c> (~23 MB PSS, a Go runtime each) beside every process it runs, which
    /// stops that process should DCP's controller itself die abruptly. A normal stop (Ctrl+C, SIGTERM) and a killed AppHost
    /// are handled by DCP without them, so they are off unless <c>PublicSafety:DcpProcessMonitors</c> is true; after a killed
    /// DCP, <c>./build.sh down</c> stops what is left. DCP reads the switch, and Go's GOGC, from the environment it inherits.</para>
    /// </summary>
    public static IDistributedApplicationBuilder ReduceFootprint(this IDistributedApplicationBuilder builder)
    {
        builder.Services.TryAddEventingSubscriber<LeanDashboard>();
        if (!builder.Configuration.GetValue<bool>("PublicSafety:DcpProcessMonitors"))
        {
            Environment.SetEnvironmentVariable("DCP_DISABLE_MONITOR_PROCESS", "1");
        }

        // DCP is a Go program: its heap may grow to twice what is live before a collection (GOGC=100); half is plenty
        // for an orchestrator that mostly waits. Only Go programs read it, so the processes DCP runs ignore it.
        if (Environment.GetEnvironmentVariable("GOGC") is null)
        {
            Environment.SetEnvironmentVariable("GOGC", "50");
        }

        return builder;
    }

    /// <summary>The collector settings of the dashboard process (the AppHost's own are in its project file).</summary>
    public static readonly IReadOnlyDictionary<string, string> DashboardGc = new Dictionary<string, string>
    {
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_gcConcurrent"] = "0",
        ["DOTNET_GCgen0size"] = "0x400000",
        ["DOTNET_GCConserveMemory"] = "5",
    };

    private static string BuildConfiguration =>
        typeof(ProcessFootprint).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";

    private static string TargetFramework
    {
        get
        {
            var name = new FrameworkName(typeof(ProcessFootprint).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName);
            return $"net{name.Version.Major}.{name.Version.Minor}";
        }
    }

    /// <summary><c>&lt;root&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/</c> is where this process's runtime is.</summary>
    private static string DotnetRoot =>
        Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    /// <summary>Subscribed after Aspire's own handlers, so the dashboard resource exists when it runs.</summary>
    private sealed class LeanDashboard : IDistributedApplicationEventingSubscriber
    {
        public Task SubscribeAsync(IDistributedApplicationEventing eventing, DistributedApplicationExecutionContext context, CancellationToken cancellationToken)
        {
            eventing.Subscribe<BeforeStartEvent>((@event, _) =>
            {
                if (@event.Model.Resources.SingleOrDefault(r => r.Name == "aspire-dashboard") is IResourceWithEnvironment dashboard)
                {
                    dashboard.Annotations.Add(new EnvironmentCallbackAnnotation((EnvironmentCallbackContext context) =>
                    {
                        foreach (var (name, value) in DashboardGc)
                        {
                            context.EnvironmentVariables[name] = value;
                        }
                    }));
                }

                return Task.CompletedTask;
            });
            return Task.CompletedTask;
        }
    }
}
