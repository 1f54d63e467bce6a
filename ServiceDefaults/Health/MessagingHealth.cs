using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace PublicSafety.ServiceDefaults.Health;

public static class MessagingHealth
{
    /// <summary>The name of the RabbitMQ connection string every service gets (DESIGN §2).</summary>
    public const string ConnectionName = "messaging";

    /// <summary>Readiness depends on the broker named by <c>ConnectionStrings:messaging</c>.</summary>
    public static IHostApplicationBuilder AddBrokerHealthCheck(this IHostApplicationBuilder builder)
    {
        var uri = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} is not configured (an amqp:// URI).");
        builder.Services.AddSingleton(new RabbitMqHealthCheck(new Uri(uri)));
        builder.Services.AddHealthChecks().AddCheck<RabbitMqHealthCheck>("rabbitmq", tags: [HealthTags.Ready]);
        return builder;
    }
}
