using Grpc.AspNetCore.HealthChecks;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PublicSafety.ServiceDefaults.Health;

namespace PublicSafety.ServiceDefaults.Grpc.Server;

public static class GrpcServerExtensions
{
    /// <summary>
    /// grpc-dotnet's server as every service runs it: the h2c <c>grpc</c> endpoint (<see cref="GrpcEndpointConfiguration"/>),
    /// routing that keeps gRPC and REST on their own endpoints, message size limits from the <c>Grpc</c> section, handler
    /// exceptions mapped to statuses, gRPC-shaped authorization failures, <c>grpc.health.v1</c> answering readiness, and
    /// server reflection. Needs <c>AddServiceDefaults</c> (authentication and the platform's policies) first.
    /// </summary>
    public static IHostApplicationBuilder AddGrpcServer(this IHostApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection(GrpcServerOptions.Section).Get<GrpcServerOptions>() ?? new GrpcServerOptions();
        GrpcEndpointConfiguration.AddKestrelEndpoints(builder.Configuration);
        GrpcEndpointConfiguration.ConfigureKestrel(builder.Services, builder.Configuration);
        builder.Services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = limits.MaxReceiveMessageSize;
            options.MaxSendMessageSize = limits.MaxSendMessageSize;
            options.Interceptors.Add<GrpcExceptionInterceptor>();
        });
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpcHealthChecks(options => options.Services.Map("", IsReadiness));
        builder.Services.AddSingleton<HealthOfEveryMappedService>();
        builder.Services.AddSingleton<IPostConfigureOptions<GrpcHealthChecksOptions>>(sp => sp.GetRequiredService<HealthOfEveryMappedService>());
        // Watch streams get a change when the health publisher runs: every 5 s instead of the default 30 s.
        builder.Services.Configure<HealthCheckPublisherOptions>(options => options.Period = TimeSpan.FromSeconds(5));
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, GrpcEndpointMatcherPolicy>());
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        return builder;
    }

    /// <summary>
    /// <c>grpc.health.v1.Health</c> and server reflection (v1 and v1alpha), anonymous like <c>/health/ready</c> and
    /// <c>/openapi/v1.json</c>: the contracts are public, the data behind them is not.
    /// </summary>
    public static IEndpointRouteBuilder MapGrpcHealthAndReflection(this IEndpointRouteBuilder endpoints)
    {
        endpoints.ServiceProvider.GetRequiredService<HealthOfEveryMappedService>().Endpoints = endpoints;
        endpoints.MapGrpcHealthChecksService().AllowAnonymous();
        endpoints.MapGrpcReflectionService().AllowAnonymous();
        return endpoints;
    }

    private static bool IsReadiness(HealthCheckMapContext check) => check.Tags.Contains(HealthTags.Ready);

    /// <summary>
    /// Health for "" and for every gRPC service the process maps, all answering readiness (unknown names are NOT_FOUND).
    /// The names come from the endpoints mapped on the application: the options are first read when the host resolves its
    /// hosted services (the health publisher), after mapping but before routing has collected the endpoints for DI's
    /// <see cref="EndpointDataSource"/>, so the application's own data sources are read.
    /// </summary>
    private sealed class HealthOfEveryMappedService : IPostConfigureOptions<GrpcHealthChecksOptions>
    {
        public IEndpointRouteBuilder? Endpoints { get; set; }

        public void PostConfigure(string? name, GrpcHealthChecksOptions options)
        {
            var services = (Endpoints?.DataSources ?? [])
                .SelectMany(source => source.Endpoints)
                .Select(e => e.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.ServiceName)
                .OfType<string>()
                .Distinct(StringComparer.Ordinal);
            foreach (var service in services)
            {
                options.Services.Map(service, IsReadiness);
            }
        }
    }
}
