using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using PublicSafety.ServiceDefaults.Http;

namespace PublicSafety.ServiceDefaults.Grpc.Client;

public static class GrpcClientExtensions
{
    /// <summary>
    /// A typed client (a class taking a <see cref="GrpcClient"/>) for the gRPC endpoint of <paramref name="serviceName"/>,
    /// found at <c>services:&lt;name&gt;:grpc:0</c> as Aspire, the local stack and the chart name it. Its HttpClient has its
    /// own handler chain: h2c, the service's own token, no overall timeout (deadlines instead), and not the shared REST
    /// resilience handler, whose per-attempt timeout would cut long streams; retries are the gRPC client's (UNAVAILABLE,
    /// idempotent methods only).
    /// </summary>
    public static IHttpClientBuilder AddGrpcClient<TClient>(this IHostApplicationBuilder builder, string serviceName) where TClient : class
    {
        builder.AddServiceTokens();
        builder.Services.Configure<GrpcClientOptions>(builder.Configuration.GetSection(GrpcClientOptions.Section));
        var name = $"grpc-{serviceName}";
        var http = builder.Services.AddHttpClient(name, (sp, client) =>
            {
                var address = sp.GetRequiredService<IConfiguration>()[$"services:{serviceName}:grpc:0"];
                client.BaseAddress = Uri.TryCreate(address, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                    ? uri
                    : throw new InvalidOperationException($"services:{serviceName}:grpc:0 must be the http(s) URL of {serviceName}'s gRPC endpoint; it is '{address}'.");
                client.Timeout = Timeout.InfiniteTimeSpan;
                client.DefaultRequestVersion = HttpVersion.Version20;
                client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = TimeSpan.FromSeconds(5),
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            })
            .ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
            {
                for (var i = handlers.Count - 1; i >= 0; i--)
                {
                    if (handlers[i] is ResilienceHandler)
                    {
                        handlers.RemoveAt(i);
                    }
                }
            })
            .AddHttpMessageHandler<ServiceTokenHandler>();
        builder.Services.AddTransient(sp => ActivatorUtilities.CreateInstance<TClient>(sp, new GrpcClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(name), sp.GetRequiredService<IOptions<GrpcClientOptions>>().Value)));
        return http;
    }
}
