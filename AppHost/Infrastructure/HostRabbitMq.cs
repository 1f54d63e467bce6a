using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;

namespace PublicSafety.AppHost.Infrastructure;

/// <summary>Ports of a host-process broker; the management UI is on <see cref="ManagementPort"/>.</summary>
public sealed record RabbitMqPorts(int Amqp, int ManagementPort, int Distribution, int Epmd);

/// <summary>
/// RabbitMQ from Debian's package (3.10), run by DCP as a host process with the management plugin. The user
/// <c>publicsafety</c> is created on the node's first boot (there is no guest); data survives restarts.
/// </summary>
public sealed class HostRabbitMqResource(string name, string command, string dataDirectory, RabbitMqPorts ports)
    : ExecutableResource(name, command, "/"), IResourceWithConnectionString
{
    public const string UserName = "publicsafety";
    public const string Password = "publicsafety";

    public string DataDirectory { get; } = dataDirectory;

    public RabbitMqPorts Ports { get; } = ports;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"amqp://{UserName}:{Password}@127.0.0.1:{Ports.Amqp.ToString(CultureInfo.InvariantCulture)}/");

    internal Uri Uri => new($"amqp://{UserName}:{Password}@127.0.0.1:{Ports.Amqp}/");
}

public static class HostRabbitMqExtensions
{
    private const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";

    public static IResourceBuilder<HostRabbitMqResource> AddHostRabbitMq(
        this IDistributedApplicationBuilder builder, string name, string dataDirectory, RabbitMqPorts ports, string nodeName)
    {
        var account = new ServerAccount("rabbitmq");
        var (command, prefix) = account.Wrap(ServerScript);
        var broker = new HostRabbitMqResource(name, command, dataDirectory, ports);

        // The Erlang port mapper, ours alone (loopback, its own port) and stopped with the rest: the node would otherwise
        // start one as a daemon that outlives it. The node is told not to start its own.
        var (epmdCommand, epmdArgs) = account.Wrap("/usr/bin/epmd", "-port", ports.Epmd.ToString(CultureInfo.InvariantCulture), "-address", "127.0.0.1");
        var epmdCheck = $"{name}-epmd_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(epmdCheck, _ => new EpmdHealthCheck(ports.Epmd), null, null));
        var epmd = builder.AddExecutable($"{name}-epmd", epmdCommand, "/", epmdArgs)
            .WithEnvironment("HOME", dataDirectory)
            .WithHealthCheck(epmdCheck)
            .WithIconName("PlugConnected");

        var brokerCheck = $"{name}_check";
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(brokerCheck, _ => new AmqpHealthCheck(broker.Uri), null, null));
        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(broker, async (e, ct) =>
        {
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(broker);
            await WriteConfigurationAsync(broker, account, logger, ct);
        });

        var resource = builder.AddResource(broker)
            .WithArgs(prefix)
            .WithEnvironment(context =>
            {
                var env = context.EnvironmentVariables;
                env["HOME"] = dataDirectory; // the Erlang cookie lives there
                env["RABBITMQ_NODENAME"] = nodeName;
                env["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1";
                env["RABBITMQ_NODE_PORT"] = ports.Amqp.ToString(CultureInfo.InvariantCulture);
                env["RABBITMQ_DIST_PORT"] = ports.Distribution.ToString(CultureInfo.InvariantCulture);
                env["RABBITMQ_MNESIA_BASE"] = Path.Combine(dataDirectory, "mnesia");
                env["RABBITMQ_LOG_BASE"] = Path.Combine(dataDirectory, "log");
                env["RABBITMQ_LOGS"] = "-"; // the console, which the dashboard shows
                env["RABBITMQ_FEATURE_FLAGS_FILE"] = Path.Combine(dataDirectory, "feature_flags");
                env["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(dataDirectory, "enabled_plugins");
                env["RABBITMQ_CONFIG_FILE"] = Path.Combine(dataDirectory, "rabbitmq.conf");
                env["RABBITMQ_PID_FILE"] = Path.Combine(dataDirectory, "rabbitmq.pid");
                env["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-kernel inet_dist_use_interface {127,0,0,1} -start_epmd false";
                env["ERL_EPMD_PORT"] = ports.Epmd.ToString(CultureInfo.InvariantCulture);
                env["ERL_EPMD_ADDRESS"] = "127.0.0.1";
            })
            .WithEndpoint(name: "amqp", scheme: "amqp", port: ports.Amqp, targetPort: ports.Amqp, isProxied: false)
            .WithHttpEndpoint(name: "management", port: ports.ManagementPort, targetPort: ports.ManagementPort, isProxied: false)
            .WithUrlForEndpoint("management", url => url.DisplayText = "Management UI")
            .WithIconName("Mailbox")
            .WithHealthCheck(brokerCheck)
            .WaitFor(epmd);
        epmd.WithParentRelationship(resource);
        return resource;
    }

    /// <summary>The node's configuration; the default user is created once, when the node first boots on empty data.</summary>
    private static async Task WriteConfigurationAsync(HostRabbitMqResource broker, ServerAccount account, ILogger logger, CancellationToken ct)
    {
        var data = broker.DataDirectory;
        Directory.CreateDirectory(Path.Combine(data, "mnesia"));
        Directory.CreateDirectory(Path.Combine(data, "log"));
        await File.WriteAllTextAsync(Path.Combine(data, "rabbitmq.conf"), $"""
            default_user = {HostRabbitMqResource.UserName}
            default_pass = {HostRabbitMqResource.Password}
            default_user_tags.administrator = true
            default_permissions.configure = .*
            default_permissions.read = .*
            default_permissions.write = .*
            default_vhost = /
            management.tcp.ip = 127.0.0.1
            management.tcp.port = {broker.Ports.ManagementPort}

            """, ct);
        await File.WriteAllTextAsync(Path.Combine(data, "enabled_plugins"), "[rabbitmq_management].\n", ct);
        await account.OwnDirectoryAsync(data, logger, ct);
    }
}

/// <summary>Healthy when an AMQP connection opens: the node opens its listener last, once it and its plugins have booted.</summary>
internal sealed class AmqpHealthCheck(Uri uri) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var factory = new ConnectionFactory
            {
                Uri = uri,
                ClientProvidedName = "apphost-health",
                AutomaticRecoveryEnabled = false,
                RequestedConnectionTimeout = TimeSpan.FromSeconds(5),
            };
            await using var connection = await factory.CreateConnectionAsync(cancellationToken);
            await connection.CloseAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}

/// <summary>Healthy when the port mapper answers a NAMES request (a bare connect would make it log a partial packet).</summary>
internal sealed class EpmdHealthCheck(int port) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var client = new TcpClient();
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(new byte[] { 0, 1, (byte)'n' }, timeout.Token); // NAMES_REQ: length 1, 'n'
            var answer = new byte[4];
            await stream.ReadExactlyAsync(answer, timeout.Token); // epmd's own port, then the registered names
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex) when (ex is SocketException or IOException or EndOfStreamException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy(ex.Message);
        }
    }
}
