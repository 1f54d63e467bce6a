using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace PublicSafety.AppHost.Infrastructure;

/// <summary>How the infrastructure runs: containers, host processes, or whichever this machine can do.</summary>
public enum InfrastructureMode
{
    Auto,
    Containers,
    HostProcesses,
}

/// <summary>
/// The AppHost's own configuration, section <c>PublicSafety</c> (appsettings.json, or <c>PublicSafety__Key=value</c> in the
/// environment, or <c>--PublicSafety:Key=value</c> on the command line).
/// </summary>
public sealed class PlatformSettings
{
    public const string Section = "PublicSafety";

    /// <summary>Auto chooses containers when a container runtime answers, host processes otherwise.</summary>
    public InfrastructureMode Infrastructure { get; set; } = InfrastructureMode.Auto;

    /// <summary>
    /// Where host-process servers keep their data. Default: <c>/var/tmp/publicsafety-&lt;hash of the checkout&gt;/apphost</c>,
    /// which <c>.local/servers</c> links to (the server accounts may not be able to enter the checkout).
    /// </summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// The PEM file whose key the services trust for tokens (Development only). Default with host processes:
    /// <c>.local/dev-signing-key.pem</c>, created when missing. Set with containers to use it instead of Keycloak.
    /// </summary>
    public string? SigningKeyFile { get; set; }

    /// <summary>Where each resource's console output is also written (<c>&lt;resource&gt;.log</c>). Default: <c>.local/logs</c>.</summary>
    public string? LogDirectory { get; set; }

    public int GatewayPort { get; set; } = 8080;

    public int GatewayGrpcPort { get; set; } = 8081;

    /// <summary>Host-process PostgreSQL. The ports differ from the test servers of <c>./build.sh test</c> (55432, 55672).</summary>
    public int PostgresPort { get; set; } = 54432;

    public int RabbitMqPort { get; set; } = 54672;

    public int RabbitMqManagementPort { get; set; } = 54673;

    public int RabbitMqDistributionPort { get; set; } = 54674;

    public int EpmdPort { get; set; } = 54369;

    /// <summary>Keycloak's port in container mode: the authority the services' Development settings name.</summary>
    public int KeycloakPort { get; set; } = 8180;

    public static PlatformSettings From(IDistributedApplicationBuilder builder) =>
        builder.Configuration.GetSection(Section).Get<PlatformSettings>() ?? new PlatformSettings();
}

/// <summary>Paths of the checkout the AppHost belongs to.</summary>
public static class Checkout
{
    public static string Root(IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));

    /// <summary>
    /// <c>/var/tmp/publicsafety-&lt;first 12 hex digits of sha256(checkout path)&gt;</c>, the same directory scripts/lib.sh uses,
    /// so one checkout's servers never touch another's.
    /// </summary>
    public static string StateDirectory(string root) => $"/var/tmp/publicsafety-{Hash(PhysicalPath(root))}";

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];

    /// <summary>The path with symbolic links resolved, as <c>pwd -P</c> gives it to the scripts.</summary>
    private static string PhysicalPath(string path)
    {
        var full = Path.GetFullPath(path).TrimEnd('/');
        var parent = Path.GetDirectoryName(full);
        if (parent is null)
        {
            return full;
        }

        var resolvedParent = PhysicalPath(parent);
        var candidate = Path.Combine(resolvedParent, Path.GetFileName(full));
        return new DirectoryInfo(candidate).LinkTarget is { } target
            ? PhysicalPath(Path.GetFullPath(target, resolvedParent))
            : candidate;
    }
}
