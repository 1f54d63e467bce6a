using Microsoft.Extensions.Configuration;

namespace PublicSafety.Gateway.Routing;

/// <summary>A service's addresses as Aspire's service discovery names them; null where not configured.</summary>
public sealed record ServiceDestination(GatewayService Service, Uri? Http, Uri? Grpc);

public static class ServiceDestinations
{
    /// <summary>
    /// Reads <c>services:&lt;name&gt;:http:0</c> (or <c>https:0</c>) and <c>services:&lt;name&gt;:grpc:0</c>, the keys Aspire injects
    /// as <c>services__&lt;name&gt;__http__0</c>, so the gateway runs unchanged under the AppHost, the local stack and Kubernetes.
    /// </summary>
    public static ServiceDestination Resolve(IConfiguration configuration, GatewayService service) => new(
        service,
        Read(configuration, service.Name, "http") ?? Read(configuration, service.Name, "https"),
        Read(configuration, service.Name, "grpc"));

    private static Uri? Read(IConfiguration configuration, string name, string endpoint)
    {
        var value = configuration[$"services:{name}:{endpoint}:0"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new InvalidOperationException($"services:{name}:{endpoint}:0 is not an http(s) URL: '{value}'.");
    }
}
