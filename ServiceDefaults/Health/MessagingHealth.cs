using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PublicSafety.ServiceDefaults.Health;

public static class MessagingHealth
{
    /// <summary>The name of the RabbitMQ connection string every service gets (DESIGN §2).</summary>
    public const string ConnectionName = "messaging";

    /// <summary>The name Aspire.RabbitMQ.Client gives its health check.</summary>
    public const string CheckName = "RabbitMQ.Client";

    /// <summary>The log category of RabbitMQ.Client's own events.</summary>
    private const string RabbitMqClientCategory = "RabbitMQ.Client";

    /// <summary>
    /// The project's own connection to the broker of <c>ConnectionStrings:messaging</c> (Aspire.RabbitMQ.Client's
    /// <c>IConnection</c>, beside MassTransit's), and readiness depending on it: ready while a channel can be opened on it.
    /// </summary>
    public static IHostApplicationBuilder AddBrokerConnection(this IHostApplicationBuilder builder)
    {
        _ = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is not configured (an amqp:// URI).");
        builder.AddRabbitMQClient(ConnectionName, settings =>
        {
            // A service starts without the broker and reports not-ready until it is there: connect on first use (a readiness
            // probe), one attempt at a time, instead of blocking start-up for Aspire's retries and then failing it.
            settings.DisableAutoActivation = true;
            settings.MaxConnectRetryCount = 0;
            // Tracing goes through ServiceDefaults/Telemetry. Aspire's would start a second tracer provider, without an exporter,
            // sampling RabbitMQ.Client's own publish and deliver spans: two more spans per event under MassTransit's, none seen.
            settings.DisableTracing = true;
        }, factory =>
        {
            factory.ClientProvidedName = builder.Environment.ApplicationName + " (monitor)";
            factory.RequestedConnectionTimeout = TimeSpan.FromSeconds(5);
            // The connection recovers by itself after a broker restart; it is how ReceiveEndpointRecovery learns the broker is back.
            factory.NetworkRecoveryInterval = TimeSpan.FromSeconds(1);
        });
        builder.Services.Configure<HealthCheckServiceOptions>(o => o.Registrations.Single(r => r.Name == CheckName).Tags.Add(HealthTags.Ready));

        // Aspire forwards RabbitMQ.Client's event source to the logs, and while the broker is away that is an Error with a
        // stack trace and a Warning for every recovery attempt, each second, for the whole outage, and under the trace id
        // of whichever request first opened the connection. The outage is already told once and in order: MassTransit's
        // "Connection Failed" warnings (with its backoff), endpoint faults, readiness, and ReceiveEndpointRecovery's
        // restarts. Only the client's critical events pass, unless Logging:LogLevel:RabbitMQ.Client says otherwise.
        if (builder.Configuration[$"Logging:LogLevel:{RabbitMqClientCategory}"] is null)
        {
            builder.Logging.AddFilter(RabbitMqClientCategory, LogLevel.Critical);
        }

        return builder;
    }
}
