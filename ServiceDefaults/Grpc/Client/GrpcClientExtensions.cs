using System.Net;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client.Configuration;
using Grpc.Net.ClientFactory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using MethodOptions = Google.Protobuf.Reflection.MethodOptions;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;

namespace PublicSafety.ServiceDefaults.Grpc.Client;

public static class GrpcClientExtensions
{
    /// <summary>
    /// grpc-dotnet's client <typeparamref name="TClient"/> (generated from a contract, e.g. <c>CameraDirectory.CameraDirectoryClient</c>)
    /// for <paramref name="serviceName"/>'s gRPC endpoint, addressed as <c>http://_grpc.&lt;name&gt;</c>: service discovery
    /// (which <c>AddServiceDefaults</c> gives every HttpClient) resolves it from <c>services:&lt;name&gt;:grpc:0</c>, as
    /// Aspire, the local stack and the chart name it. Calls carry the service's own token, get <c>Grpc:Client:DefaultDeadline</c>
    /// when they set no deadline (unary), and are retried on UNAVAILABLE only for the methods <paramref name="service"/> marks
    /// <c>NO_SIDE_EFFECTS</c> or <c>IDEMPOTENT</c>.
    /// </summary>
    public static IHttpClientBuilder AddGrpcServiceClient<TClient>(this IHostApplicationBuilder builder, string serviceName, ServiceDescriptor service)
        where TClient : ClientBase
    {
        builder.AddServiceTokens();
        builder.Services.Configure<GrpcClientOptions>(builder.Configuration.GetSection(GrpcClientOptions.Section));
        var http = builder.Services
            .AddGrpcClient<TClient>((sp, client) =>
            {
                client.Address = new Uri($"http://_grpc.{serviceName}");
                var defaultDeadline = sp.GetRequiredService<IOptions<GrpcClientOptions>>().Value.DefaultDeadline;
                client.InterceptorRegistrations.Add(new(InterceptorScope.Channel, _ => new DefaultDeadlineInterceptor(defaultDeadline)));
            })
            .ConfigureChannel((sp, channel) =>
            {
                var options = sp.GetRequiredService<IOptions<GrpcClientOptions>>().Value;
                channel.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
                channel.MaxSendMessageSize = options.MaxSendMessageSize;
                channel.ServiceConfig = RetryIdempotentMethods(service, options);
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
            .AddHttpMessageHandler<ServiceTokenHandler>();
        // The standard resilience handler every HttpClient gets would retry gRPC calls blindly, and its timeouts would cut long
        // streams: gRPC has deadlines and its own retry policy instead. Service discovery stays. The library's own way to take
        // its handlers off one client is marked experimental (EXTEXP0001).
#pragma warning disable EXTEXP0001
        http.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        return http;
    }

    /// <summary>
    /// grpc-dotnet's retry policy for the methods whose contract says a repeat is harmless: UNAVAILABLE only (the server
    /// did not act, or is going away), exponential backoff with jitter, bounded by the call's deadline. grpc-dotnet retries
    /// only until response headers arrive, so a stream that has started delivering messages is never replayed.
    /// </summary>
    public static ServiceConfig? RetryIdempotentMethods(ServiceDescriptor service, GrpcClientOptions options)
    {
        var idempotent = service.Methods
            .Where(m => !m.IsClientStreaming && m.GetOptions()?.IdempotencyLevel is MethodOptions.Types.IdempotencyLevel.NoSideEffects
                or MethodOptions.Types.IdempotencyLevel.Idempotent)
            .Select(m => new MethodName { Service = service.FullName, Method = m.Name })
            .ToList();
        if (idempotent.Count == 0 || options.MaxRetries <= 0)
        {
            return null;
        }

        var method = new MethodConfig
        {
            RetryPolicy = new RetryPolicy
            {
                MaxAttempts = options.MaxRetries + 1,
                InitialBackoff = options.RetryBaseDelay,
                MaxBackoff = TimeSpan.FromSeconds(5),
                BackoffMultiplier = 2,
                RetryableStatusCodes = { StatusCode.Unavailable },
            },
        };
        foreach (var name in idempotent)
        {
            method.Names.Add(name);
        }

        return new ServiceConfig { MethodConfigs = { method } };
    }

    /// <summary>A service-to-service unary call never waits forever: without a deadline of its own it gets the default.</summary>
    private sealed class DefaultDeadlineInterceptor(TimeSpan deadline) : Interceptor
    {
        public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, WithDeadline(context));

        public override TResponse BlockingUnaryCall<TRequest, TResponse>(
            TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation) =>
            continuation(request, WithDeadline(context));

        private ClientInterceptorContext<TRequest, TResponse> WithDeadline<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context)
            where TRequest : class
            where TResponse : class =>
            context.Options.Deadline is null
                ? new(context.Method, context.Host, context.Options.WithDeadline(DateTime.UtcNow + deadline))
                : context;
    }
}

/// <summary>Configuration section <c>Grpc:Client</c>.</summary>
public sealed class GrpcClientOptions
{
    public const string Section = "Grpc:Client";

    /// <summary>Deadline of unary calls that set none: a service-to-service call never waits forever.</summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(30);

    public int MaxReceiveMessageSize { get; set; } = Server.GrpcServerOptions.DefaultMaxMessageSize;

    /// <summary>grpc-dotnet sets no send limit by default; the servers here refuse more than 4 MiB anyway.</summary>
    public int MaxSendMessageSize { get; set; } = Server.GrpcServerOptions.DefaultMaxMessageSize;

    /// <summary>Retries of idempotent methods that answered UNAVAILABLE (or could not be reached); grpc-dotnet caps attempts at 5.</summary>
    public int MaxRetries { get; set; } = 3;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);
}
