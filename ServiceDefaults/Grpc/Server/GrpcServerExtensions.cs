using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace PublicSafety.ServiceDefaults.Grpc.Server;

public static class GrpcServerExtensions
{
    /// <summary>
    /// The gRPC server: the h2c <c>grpc</c> endpoint (<see cref="GrpcEndpointConfiguration"/>), routing that keeps gRPC and REST
    /// on their own endpoints, gRPC-shaped authorization failures, limits from the <c>Grpc</c> section, and the health service.
    /// Needs <c>AddServiceDefaults</c> (authentication and the platform's policies) first.
    /// </summary>
    public static IHostApplicationBuilder AddGrpcServer(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<GrpcServerOptions>(builder.Configuration.GetSection(GrpcServerOptions.Section));
        GrpcEndpointConfiguration.AddKestrelEndpoints(builder.Configuration);
        GrpcEndpointConfiguration.ConfigureKestrel(builder.Services, builder.Configuration);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<MatcherPolicy, GrpcEndpointMatcherPolicy>());
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        builder.Services.TryAddSingleton<GrpcServiceRegistry>();
        builder.Services.TryAddSingleton<GrpcHealthService>();
        return builder;
    }
}
