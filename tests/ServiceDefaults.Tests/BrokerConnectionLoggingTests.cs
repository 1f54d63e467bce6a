using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PublicSafety.ServiceDefaults.Health;

namespace PublicSafety.ServiceDefaults.Tests;

/// <summary>What RabbitMQ.Client's own events, forwarded by Aspire, may put in a service's logs.</summary>
public sealed class BrokerConnectionLoggingTests
{
    [Fact]
    public void OnlyTheClientsCriticalEventsAreLoggedAndMassTransitsWarningsStill()
    {
        using var host = Host(configuredLevel: null);
        var logs = host.Services.GetRequiredService<ILoggerFactory>();

        // Each failed recovery attempt is an Error, every second while the broker is away.
        Assert.False(logs.CreateLogger("RabbitMQ.Client").IsEnabled(LogLevel.Error));
        Assert.True(logs.CreateLogger("RabbitMQ.Client").IsEnabled(LogLevel.Critical));
        Assert.True(logs.CreateLogger("MassTransit").IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void AnOperatorsSettingForTheClientsEventsWins()
    {
        using var host = Host(configuredLevel: "Information");

        Assert.True(host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("RabbitMQ.Client").IsEnabled(LogLevel.Information));
    }

    private static IHost Host(string? configuredLevel)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            EnvironmentName = Environments.Production,
            DisableDefaults = false,
        });
        builder.Configuration["ConnectionStrings:messaging"] = "amqp://guest:guest@127.0.0.1:1/";
        builder.Configuration["Logging:LogLevel:Default"] = "Information";
        if (configuredLevel is not null)
        {
            builder.Configuration["Logging:LogLevel:RabbitMQ.Client"] = configuredLevel;
        }

        builder.AddBrokerConnection();
        return builder.Build();
    }
}
