using System.Text;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Npgsql;
using PublicSafety.Contracts;
using PublicSafety.ServiceDefaults.Health;
using PublicSafety.ServiceDefaults.Messaging.Inbox;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.ServiceDefaults.Messaging;

public static class MessagingExtensions
{
    /// <summary>
    /// Integration events over RabbitMQ (<c>ConnectionStrings:messaging</c>) through MassTransit, configured once for every
    /// service: the transactional outbox (<see cref="IOutbox"/>) and its dispatcher, idempotent consumers
    /// (<see cref="IdempotentConsumer{TEvent}"/>), kebab-case quorum queues named after the service, the retry policy,
    /// publisher confirms, readiness checks and metrics. Call after <c>AddServiceDatabase</c>: the outbox and the inbox
    /// live in the service's database.
    /// </summary>
    /// <param name="consumers">Registers the service's consumers, e.g. <c>x =&gt; x.AddConsumer&lt;PlacementEndedConsumer&gt;()</c>.</param>
    public static IHostApplicationBuilder AddMessaging(this IHostApplicationBuilder builder, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        if (builder.Services.All(d => d.ServiceType != typeof(NpgsqlDataSource)))
        {
            throw new InvalidOperationException("AddMessaging needs the service's database: call AddServiceDatabase first.");
        }

        // Our own connection and its readiness check, besides MassTransit's: a service with no receive endpoints (a publisher
        // only) stays "healthy" by MassTransit's bus check with the broker stopped (FailureTests proves readiness turns 503).
        builder.AddBrokerConnection();
        var broker = new BrokerAddress(new Uri(builder.Configuration.GetConnectionString(MessagingHealth.ConnectionName)!));
        var options = builder.Configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions();
        options.EndpointPrefix ??= ServicePrefix(builder.Environment.ApplicationName);
        var endpoints = new ReceiveEndpoints();

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddSingleton<BrokerConnection>();
        builder.Services.AddSingleton<MessagingMetrics>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ReceiveEndpointWatchdog>();
        builder.Services.AddHealthChecks().AddCheck<ReceiveEndpointWatchdog>("receive-endpoints", tags: [HealthTags.Live]);
        builder.Services.AddSingleton<ReceiveEndpointRecovery>();
        builder.Services.AddReceiveEndpointObserver(sp => sp.GetRequiredService<ReceiveEndpointRecovery>());
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<IOutbox, PostgresOutbox>();
        builder.Services.AddSingleton<Inbox.Inbox>();

        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(options.EndpointPrefix + "-", includeNamespace: false));
            x.ConfigureHealthCheckOptions(h =>
            {
                h.Name = "masstransit";
                h.MinimalFailureStatus = HealthStatus.Unhealthy;
                h.Tags.Add(HealthTags.Ready);
            });
            consumers?.Invoke(x);
            x.AddConfigureEndpointsCallback((name, endpoint) => ConfigureEndpoint(name, endpoint, options, endpoints));
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(broker.Host, (ushort)broker.Port, broker.VirtualHost, builder.Environment.ApplicationName, h =>
                {
                    h.Username(broker.UserName);
                    h.Password(broker.Password);
                    h.PublisherConfirmation = true;
                    if (broker.UseSsl)
                    {
                        h.UseSsl(_ => { });
                    }
                });
                if (!string.IsNullOrEmpty(options.EntityPrefix))
                {
                    cfg.MessageTopology.SetEntityNameFormatter(new PrefixEntityNameFormatter(cfg.MessageTopology.EntityNameFormatter, options.EntityPrefix));
                }

                // Events are published to their own exchange only: nobody subscribes to the common base type, and an
                // exchange for it would only add a routing hop to every publish.
                cfg.Publish<IntegrationEvent>(p => p.Exclude = true);
                cfg.ConfigureEndpoints(context);
            });
        });

        // Start without waiting for the broker (the service stays live and reports not-ready until it connects);
        // on shutdown, let consumers finish what they hold.
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(20);
            o.ConsumerStopTimeout = TimeSpan.FromSeconds(15);
        });

        // Registered after MassTransit's hosted service, so stopped before it: the dispatcher's last confirms arrive first.
        builder.Services.AddHostedService<OutboxDispatcher>();
        builder.Services.AddHostedService<MessagingMonitor>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ReceiveEndpointRecovery>());
        return builder;
    }

    /// <summary>The one place where every receive endpoint gets its queue type, concurrency and retry policy.</summary>
    private static void ConfigureEndpoint(string name, IReceiveEndpointConfigurator endpoint, MessagingOptions options, ReceiveEndpoints endpoints)
    {
        endpoints.Add(name);
        if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
        {
            rabbit.SetQuorumQueue(); // replicated, durable, fsynced before the publisher's confirm (RabbitMQ ≥ 3.8)
        }

        endpoint.PrefetchCount = options.PrefetchCount;
        endpoint.ConcurrentMessageLimit = options.ConcurrentMessageLimit;
        endpoint.PublishFaults = false; // nobody subscribes to Fault<T>; the error queue keeps the message and its reason

        // Events of one aggregate are never handled concurrently (outer filter: it also spans the retries), so two events of
        // one aggregate don't contend for its rows. This is not ordering: see MessagingOptions.ConcurrentMessageLimit.
        endpoint.UsePartitioner(options.ConcurrentMessageLimit,
            (ConsumeContext context) => context.Headers.Get<string>(OutboxDispatcher.AggregateKeyHeader) ?? context.MessageId?.ToString() ?? "",
            Encoding.UTF8);
        endpoint.UseMessageRetry(r => r.Intervals(options.Retry.Intervals()));
    }

    /// <summary>"PublicSafety.CrisisCapacity" → "crisis-capacity".</summary>
    internal static string ServicePrefix(string applicationName)
    {
        var name = applicationName.StartsWith("PublicSafety.", StringComparison.Ordinal) ? applicationName["PublicSafety.".Length..] : applicationName;
        var kebab = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && kebab.Length > 0 && kebab[^1] != '-')
            {
                kebab.Append('-');
            }

            kebab.Append(c is '.' or '_' ? '-' : char.ToLowerInvariant(c));
        }

        return kebab.ToString();
    }
}
