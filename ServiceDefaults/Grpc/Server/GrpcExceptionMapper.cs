using System.ComponentModel.DataAnnotations;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Npgsql;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace PublicSafety.ServiceDefaults.Grpc.Server;

/// <summary>
/// What a handler's exception means on the wire. grpc-dotnet answers every exception but <see cref="RpcException"/> with
/// UNKNOWN; the platform's handlers also throw validation and lookup exceptions whose messages are meant for the caller,
/// and overload exceptions that a client may retry. Anything else is left to grpc-dotnet: UNKNOWN "Exception was thrown
/// by handler.", logged, never a stack trace on the wire.
/// </summary>
public static class GrpcExceptionMapper
{
    public static Status? Map(Exception exception) => exception switch
    {
        ValidationException e => new Status(StatusCode.InvalidArgument, e.Message, e),
        ArgumentException e => new Status(StatusCode.InvalidArgument, e.Message, e),
        KeyNotFoundException e => new Status(StatusCode.NotFound, e.Message, e),
        UnauthorizedAccessException e => new Status(StatusCode.PermissionDenied, "The caller may not do this.", e),
        // Overload and unreachable dependencies: the caller may retry (and our clients do, for idempotent methods).
        BrokenCircuitException or TimeoutRejectedException or HttpRequestException or NpgsqlException { IsTransient: true }
            => new Status(StatusCode.Unavailable, "The service is temporarily unavailable.", exception),
        _ => null,
    };
}

/// <summary>Applies <see cref="GrpcExceptionMapper"/> to every unary and server-streaming method.</summary>
internal sealed class GrpcExceptionInterceptor : Interceptor
{
    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception ex) when (GrpcExceptionMapper.Map(ex) is { } status)
        {
            throw new RpcException(status);
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            await continuation(request, responseStream, context);
        }
        catch (Exception ex) when (GrpcExceptionMapper.Map(ex) is { } status)
        {
            throw new RpcException(status);
        }
    }
}
