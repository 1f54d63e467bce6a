using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;

namespace PublicSafety.Bench;

/// <summary>The machine a benchmark runs on: the checkout, free ports, and how busy it is.</summary>
public static class BenchMachine
{
    /// <summary>The checkout's root (where PublicSafety.sln is), found upwards from the bench's binary.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PublicSafety.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("PublicSafety.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The configuration the bench was built in (Release when run as its README says).</summary>
    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;

    /// <summary>
    /// The build of a project the bench references (so that it is built with the bench, in the same configuration):
    /// <paramref name="projectDirectory"/> relative to the checkout, e.g. <c>services/Feedback</c>.
    /// </summary>
    public static string BuiltDll(string projectDirectory, string assemblyName) =>
        Path.Combine(RepositoryRoot(), projectDirectory, "bin", Configuration, "net10.0", assemblyName + ".dll");

    /// <summary>
    /// The environment a project's container image sets (its <c>ContainerEnvironmentVariable</c> items, e.g. runtime knobs
    /// that the runtime reads only from the environment), so that a bench runs the build as the image would.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ImageEnvironment(string projectFile) =>
        XDocument.Load(Path.Combine(RepositoryRoot(), projectFile)).Descendants("ContainerEnvironmentVariable")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Value")!);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The 1, 5 and 15 minute load averages: other work on the machine competes with every figure.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";
}
