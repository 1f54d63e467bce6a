using System.ComponentModel.DataAnnotations;
using Npgsql;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace PublicSafety.ServiceDefaults.Grpc.Server;

/// <summary>
/// What a handler's exception means on the wire. Messages of validation and lookup exceptions are meant for the caller;
/// anything unexpected is UNKNOWN with grpc-dotnet's fixed text and is logged, never sent (no stack traces in grpc-message).
/// </summary>
public static class GrpcExceptionMapper
{
    public const string UnexpectedErrorMessage = "Exception was thrown by handler.";

    public static (GrpcStatusCode Code, string Message, bool Unexpected) Map(Exception exception) => exception switch
    {
        GrpcCallException e => (e.StatusCode, e.Detail, false),
        ValidationException e => (GrpcStatusCode.InvalidArgument, e.Message, false),
        ArgumentException e => (GrpcStatusCode.InvalidArgument, e.Message, false),
        KeyNotFoundException e => (GrpcStatusCode.NotFound, e.Message, false),
        UnauthorizedAccessException => (GrpcStatusCode.PermissionDenied, "The caller may not do this.", false),
        // Overload and unreachable dependencies: the caller may retry (and our clients do, for idempotent methods).
        BrokenCircuitException or TimeoutRejectedException or HttpRequestException
            => (GrpcStatusCode.Unavailable, "The service is temporarily unavailable.", false),
        NpgsqlException { IsTransient: true } => (GrpcStatusCode.Unavailable, "The service is temporarily unavailable.", false),
        _ => (GrpcStatusCode.Unknown, UnexpectedErrorMessage, true),
    };
}
