namespace PublicSafety.ServiceDefaults.Grpc;

/// <summary>
/// A call that ended with a status other than OK. Clients throw it for every failed call; server handlers throw it to answer
/// with a status of their choice (other exceptions are mapped, see <see cref="Server.GrpcExceptionMapper"/>).
/// </summary>
public sealed class GrpcCallException(GrpcStatusCode statusCode, string? detail, Exception? innerException = null)
    : Exception($"Status(StatusCode=\"{statusCode}\", Detail=\"{detail}\")", innerException)
{
    public GrpcStatusCode StatusCode { get; } = statusCode;

    /// <summary>The status message (<c>grpc-message</c>), decoded; never a stack trace.</summary>
    public string Detail { get; } = detail ?? "";
}
