using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PublicSafety.ServiceDefaults.Health;

namespace PublicSafety.ServiceDefaults.Telemetry;

/// <summary>
/// OpenTelemetry as in the Aspire ServiceDefaults template: ASP.NET Core, HttpClient, gRPC client, runtime, Npgsql (from
/// <c>Aspire.Npgsql</c>), MassTransit and our own <c>PublicSafety.*</c> sources and meters, exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. Logs always go to the console as JSON.
/// </summary>
public static class PlatformTelemetry
{
    /// <summary>Our own sources and meters are named <c>PublicSafety.&lt;Component&gt;</c>.</summary>
    public const string Prefix = "PublicSafety";

    /// <summary>MassTransit's ActivitySource and Meter (it ships no instrumentation package).</summary>
    private const string MassTransit = "MassTransit";

    public static IHostApplicationBuilder AddPlatformTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r
                .AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? builder.Environment.ApplicationName,
                    serviceInstanceId: Environment.MachineName)
                .AddAttributes([new("deployment.environment.name", builder.Environment.EnvironmentName)]));
        if (!IsExporting(builder))
        {
            // Nothing would receive spans or metrics. The request path stays free of instrumentation (the gateway's CPU per
            // request is a target): ASP.NET Core still starts an unrecorded activity per request for its log scopes, which is
            // enough for HttpClient and YARP to pass the trace context on. MassTransit is the exception: it writes the context
            // into a message only from an activity it started itself, so its source (and ours, around the outbox) is sampled,
            // whatever the parent says, to keep one trace from the request through the broker to the consumer's logs
            // (unless OTEL_TRACES_SAMPLER says otherwise: a sampler set here would override it).
            telemetry.WithTracing(t =>
            {
                t.AddSource(MassTransit, Prefix + ".*");
                if (string.IsNullOrWhiteSpace(builder.Configuration["OTEL_TRACES_SAMPLER"]))
                {
                    t.SetSampler(new AlwaysOnSampler());
                }
            });
            return builder;
        }

        builder.Logging.AddOpenTelemetry(o =>
        {
            o.IncludeFormattedMessage = true;
            o.IncludeScopes = true;
        });
        telemetry
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsProbe(context.Request.Path))
                .AddHttpClientInstrumentation()
                .AddGrpcClientInstrumentation()
                .AddSource(MassTransit, Prefix + ".*"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                .AddMeter(MassTransit, Prefix + ".*"))
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>Whether telemetry leaves the process: the OTLP endpoint that Aspire and the chart set.</summary>
    internal static bool IsExporting(IHostApplicationBuilder builder) =>
        !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

    /// <summary>Probes arrive every few seconds from Kubernetes and say nothing about the system's work: no spans for them.</summary>
    private static bool IsProbe(PathString path) =>
        path.StartsWithSegments(HealthEndpoints.LivePath) || path.StartsWithSegments(HealthEndpoints.ReadyPath)
        || path.StartsWithSegments("/grpc.health.v1.Health");
}
