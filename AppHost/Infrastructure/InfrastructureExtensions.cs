using PublicSafety.DevToken;

namespace PublicSafety.AppHost.Infrastructure;

public static class InfrastructureExtensions
{
    /// <summary>The services' databases: name and whether it needs PostGIS.</summary>
    public static readonly (string Name, bool PostGis)[] ServiceDatabases =
    [
        ("feedbackdb", false), ("crisisdb", true), ("camerasdb", true), ("roadsafetydb", true), ("probationdb", true),
    ];

    /// <summary>
    /// PostgreSQL (PostGIS), RabbitMQ and the token issuer, as containers where a container runtime answers and as host
    /// processes started by the AppHost where none does (this machine, CI). <c>PublicSafety:Infrastructure</c> forces one.
    /// </summary>
    public static PlatformInfrastructure AddPlatformInfrastructure(this IDistributedApplicationBuilder builder, PlatformSettings settings)
    {
        var mode = ContainerRuntime.Choose(builder, settings);
        return mode == InfrastructureMode.Containers
            ? builder.AddContainerInfrastructure(settings)
            : builder.AddHostProcessInfrastructure(settings);
    }

    private static PlatformInfrastructure AddHostProcessInfrastructure(this IDistributedApplicationBuilder builder, PlatformSettings settings)
    {
        var root = Checkout.Root(builder);
        var data = settings.DataDirectory ?? DefaultDataDirectory(root);
        Directory.CreateDirectory(data);
        // The server accounts must be able to pass through to their own directories.
        Traversable(data);

        var postgres = builder.AddHostPostgres("postgres", Path.Combine(data, "postgres"), settings.PostgresPort);
        var databases = ServiceDatabases.ToDictionary(
            d => d.Name, d => (IResourceBuilder<IResourceWithConnectionString>)postgres.AddDatabase(d.Name, d.PostGis));

        var ports = new RabbitMqPorts(settings.RabbitMqPort, settings.RabbitMqManagementPort, settings.RabbitMqDistributionPort, settings.EpmdPort);
        // One node name per data directory: two checkouts (or a test run) never share a node.
        var node = $"publicsafety-apphost-{Checkout.Hash(data)}@localhost";
        var messaging = builder.AddHostRabbitMq("messaging", Path.Combine(data, "rabbitmq"), ports, node);

        var keyFile = settings.SigningKeyFile ?? DevTokens.DefaultKeyPath(root);
        return new PlatformInfrastructure(InfrastructureMode.HostProcesses, databases, messaging, PlatformIdentity.DevelopmentKey(keyFile));
    }

    /// <summary>
    /// Under the checkout's own state directory (see <see cref="Checkout.StateDirectory"/>), linked from
    /// <c>.local/servers</c> as the scripts link it.
    /// </summary>
    private static string DefaultDataDirectory(string root)
    {
        var state = Checkout.StateDirectory(root);
        Directory.CreateDirectory(state);
        Traversable(state);
        var link = Path.Combine(root, ".local", "servers");
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        if (new FileInfo(link).LinkTarget != state)
        {
            File.Delete(link);
            File.CreateSymbolicLink(link, state);
        }

        return Path.Combine(state, "apphost");
    }

    private static void Traversable(string directory)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)Convert.ToInt32("755", 8));
        }
    }

    private static PlatformInfrastructure AddContainerInfrastructure(this IDistributedApplicationBuilder builder, PlatformSettings settings)
    {
        var postgres = builder.AddPostgres("postgres")
            .WithImage("postgis/postgis")
            .WithImageTag("17-3.5")
            .WithDataVolume();
        var databases = ServiceDatabases.ToDictionary(
            d => d.Name, d => (IResourceBuilder<IResourceWithConnectionString>)postgres.AddDatabase(d.Name));

        var messaging = builder.AddRabbitMQ("messaging")
            .WithManagementPlugin()
            .WithDataVolume();

        // A signing key named explicitly (the tests' own) replaces Keycloak: tokens are then minted locally.
        var identity = settings.SigningKeyFile is { } keyFile
            ? PlatformIdentity.DevelopmentKey(keyFile)
            : new PlatformIdentity(builder.AddKeycloakContainer(settings.KeycloakPort), null);
        return new PlatformInfrastructure(InfrastructureMode.Containers, databases, messaging, identity);
    }
}
