using System.Diagnostics;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace PublicSafety.ServiceDefaults.Grpc.Server;

public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// The methods of one service of a .proto file, to map to handlers:
    /// <code>
    /// var directory = app.MapGrpcService(CameraDirectoryReflection.Descriptor, "CameraDirectory");
    /// directory.MapUnary&lt;FindCamerasNearRequest, FindCamerasNearResponse&gt;("FindCamerasNear", FindAsync).RequireAuthorization(Roles.CamerasRead);
    /// </code>
    /// </summary>
    public static GrpcServiceEndpoints MapGrpcService(this IEndpointRouteBuilder endpoints, FileDescriptor file, string serviceName)
    {
        var service = file.Services.FirstOrDefault(s => s.Name == serviceName)
            ?? throw new ArgumentException($"{file.Name} has no service {serviceName}.", nameof(serviceName));
        var registry = endpoints.ServiceProvider.GetService<GrpcServiceRegistry>()
            ?? throw new InvalidOperationException("Call builder.AddGrpcServer() before mapping gRPC services.");
        registry.Add(service.FullName);
        if (!registry.FallbackMapped)
        {
            registry.FallbackMapped = true;
            MapUnimplemented(endpoints, registry);
        }

        return new GrpcServiceEndpoints(endpoints, service);
    }

    /// <summary>What grpc-dotnet answers for a method nobody mapped: UNIMPLEMENTED, trailers-only, no token needed.</summary>
    private static void MapUnimplemented(IEndpointRouteBuilder endpoints, GrpcServiceRegistry registry) =>
        endpoints.Map("/{service}/{method}", context =>
            {
                if (!HttpMethods.IsPost(context.Request.Method))
                {
                    context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
                    return Task.CompletedTask;
                }

                if (!GrpcProtocol.IsGrpcContentType(context.Request.ContentType))
                {
                    GrpcServerCall.WriteHttpError(context, StatusCodes.Status415UnsupportedMediaType, GrpcStatusCode.Internal,
                        ContentTypeError(context.Request.ContentType));
                    return Task.CompletedTask;
                }

                var known = registry.Contains((string)context.Request.RouteValues["service"]!);
                return GrpcServerCall.WriteTrailersOnlyAsync(context, GrpcStatusCode.Unimplemented,
                    known ? "Method is unimplemented." : "Service is unimplemented.");
            })
            .WithMetadata(new GrpcMethodMetadata("*", "*"), new AllowAnonymousAttribute())
            .WithDisplayName("gRPC unimplemented")
            .ExcludeFromDescription();

    internal static string ContentTypeError(string? contentType) =>
        contentType is null ? "Content-Type is missing from the request." : $"Content-Type '{contentType}' is not supported.";
}

/// <summary>Maps the methods of one gRPC service. Each returns the endpoint's builder for <c>RequireAuthorization</c> and the like.</summary>
public sealed class GrpcServiceEndpoints
{
    private readonly IEndpointRouteBuilder _endpoints;
    private readonly IOptions<GrpcServerOptions> _options;
    private readonly ILogger _logger;

    internal GrpcServiceEndpoints(IEndpointRouteBuilder endpoints, ServiceDescriptor service)
    {
        _endpoints = endpoints;
        Descriptor = service;
        _options = endpoints.ServiceProvider.GetRequiredService<IOptions<GrpcServerOptions>>();
        _logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("PublicSafety.ServiceDefaults.Grpc.Server");
    }

    public ServiceDescriptor Descriptor { get; }

    public IEndpointConventionBuilder MapUnary<TRequest, TResponse>(string method, Func<TRequest, GrpcCallContext, Task<TResponse>> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse> =>
        Map<TRequest, TResponse>(method, serverStreaming: false, async (call, request) =>
        {
            var response = await handler(request, call.Context);
            await call.WriteMessageAsync(response ?? throw new InvalidOperationException("The handler returned no response."), flush: false);
        });

    public IEndpointConventionBuilder MapServerStreaming<TRequest, TResponse>(
        string method, Func<TRequest, IGrpcStreamWriter<TResponse>, GrpcCallContext, Task> handler)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse> =>
        Map<TRequest, TResponse>(method, serverStreaming: true, (call, request) => handler(request, new StreamWriter<TResponse>(call), call.Context));

    private IEndpointConventionBuilder Map<TRequest, TResponse>(string name, bool serverStreaming, Func<GrpcServerCall, TRequest, Task> invoke)
        where TRequest : IMessage<TRequest>, new()
        where TResponse : IMessage<TResponse>
    {
        var method = Descriptor.FindMethodByName(name)
            ?? throw new ArgumentException($"{Descriptor.FullName} has no method {name}.", nameof(name));
        if (method.IsClientStreaming || method.IsServerStreaming != serverStreaming)
        {
            throw new ArgumentException($"{Descriptor.FullName}/{name} is not a {(serverStreaming ? "server-streaming" : "unary")} method.", nameof(name));
        }

        if (method.InputType.ClrType != typeof(TRequest) || method.OutputType.ClrType != typeof(TResponse))
        {
            throw new ArgumentException(
                $"{Descriptor.FullName}/{name} takes {method.InputType.ClrType?.Name} and returns {method.OutputType.ClrType?.Name}.", nameof(name));
        }

        var metadata = new GrpcMethodMetadata(Descriptor.FullName, method.Name);
        var parser = new MessageParser<TRequest>(() => new TRequest());
        return _endpoints.Map(metadata.Path, context => HandleAsync(context, metadata, parser, invoke))
            // No HttpMethodMetadata: routing would then answer 405 for other verbs on the REST endpoint too; POST is checked here.
            .WithMetadata(metadata)
            .WithDisplayName($"gRPC {metadata.Path}")
            .ExcludeFromDescription();
    }

    private async Task HandleAsync<TRequest>(HttpContext context, GrpcMethodMetadata metadata, MessageParser<TRequest> parser, Func<GrpcServerCall, TRequest, Task> invoke)
        where TRequest : IMessage<TRequest>
    {
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        if (!GrpcProtocol.IsGrpcContentType(context.Request.ContentType))
        {
            GrpcServerCall.WriteHttpError(context, StatusCodes.Status415UnsupportedMediaType, GrpcStatusCode.Internal,
                GrpcEndpointRouteBuilderExtensions.ContentTypeError(context.Request.ContentType));
            return;
        }

        if (!HttpProtocol.IsHttp2(context.Request.Protocol))
        {
            GrpcServerCall.WriteHttpError(context, StatusCodes.Status426UpgradeRequired, GrpcStatusCode.Internal,
                $"Request protocol '{context.Request.Protocol}' is not supported.");
            context.Response.Headers.Upgrade = "HTTP/2";
            return;
        }

        GrpcServerCall.DisableStatusCodePages(context);
        var activity = Activity.Current;
        activity?.SetTag("rpc.system", "grpc");
        activity?.SetTag("rpc.service", metadata.Service);
        activity?.SetTag("rpc.method", metadata.Method);

        var options = _options.Value;
        await using var call = GrpcServerCall.Start(context, metadata.Path, options, _logger);
        Exception? failure = null;
        try
        {
            var request = await GrpcRequestReader.ReadSingleMessageAsync(context, parser, options.MaxReceiveMessageSize, call.Context.CancellationToken);
            await invoke(call, request);
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        await call.CompleteAsync(failure);
    }

    private sealed class StreamWriter<T>(GrpcServerCall call) : IGrpcStreamWriter<T> where T : IMessage<T>
    {
        public Task WriteAsync(T message) => call.WriteMessageAsync(message, flush: true);
    }
}
