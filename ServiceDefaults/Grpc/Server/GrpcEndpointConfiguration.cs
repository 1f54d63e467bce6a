using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace PublicSafety.ServiceDefaults.Grpc.Server;

/// <summary>
/// The service's gRPC listener: the Kestrel endpoint named <c>grpc</c>, HTTP/2 only (h2c), beside the REST endpoint(s).
/// It comes from <c>Kestrel:Endpoints:grpc:Url</c> (the Helm chart; Aspire overrides Kestrel endpoints by name), or from
/// <c>Grpc:Url</c> / <c>Grpc:Port</c> (local stack, tests). Kestrel ignores ASPNETCORE_URLS once any endpoint is configured,
/// so when the grpc endpoint is the only one, the hosting URLs are carried over as named endpoints ("http", "http-1", ...).
/// Connections accepted on the grpc endpoint are marked, and routing serves gRPC methods there and nothing else.
/// </summary>
public static class GrpcEndpointConfiguration
{
    public const string EndpointName = "grpc";

    internal static void AddKestrelEndpoints(IConfigurationManager configuration)
    {
        var endpoints = configuration.GetSection("Kestrel:Endpoints").GetChildren().ToList();
        var configured = endpoints.Any(IsGrpc);
        var url = configuration[$"{GrpcServerOptions.Section}:Url"] is { Length: > 0 } u ? u
            : configuration[$"{GrpcServerOptions.Section}:Port"] is { Length: > 0 } port ? $"http://*:{port}"
            : null;
        if (!configured && url is null)
        {
            return;
        }

        var added = new Dictionary<string, string?>();
        if (!configured)
        {
            added[$"Kestrel:Endpoints:{EndpointName}:Url"] = url;
        }

        added[$"Kestrel:Endpoints:{EndpointName}:Protocols"] = nameof(HttpProtocols.Http2);
        if (!endpoints.Any(e => !IsGrpc(e)))
        {
            var urls = HostingUrls(configuration);
            for (var i = 0; i < urls.Length; i++)
            {
                added[$"Kestrel:Endpoints:{(i == 0 ? "http" : $"http-{i}")}:Url"] = urls[i];
            }
        }

        configuration.AddInMemoryCollection(added);
    }

    internal static void ConfigureKestrel(IServiceCollection services, IConfiguration configuration) =>
        services.Configure<KestrelServerOptions>(kestrel => kestrel
            .Configure(configuration.GetSection("Kestrel"), reloadOnChange: true)
            .Endpoint(EndpointName, endpoint =>
            {
                // Cleartext HTTP/2 needs prior knowledge: an Http1AndHttp2 endpoint without TLS would speak HTTP/1.1 only.
                endpoint.ListenOptions.Protocols = HttpProtocols.Http2;
                endpoint.ListenOptions.Use(next => connection =>
                {
                    connection.Features.Set(GrpcConnectionFeature.Instance);
                    return next(connection);
                });
            }));

    /// <summary>True if the request came in on the grpc endpoint.</summary>
    public static bool IsGrpcConnection(HttpContext context) => context.Features.Get<GrpcConnectionFeature>() is not null;

    private static bool IsGrpc(IConfigurationSection endpoint) => string.Equals(endpoint.Key, EndpointName, StringComparison.OrdinalIgnoreCase);

    /// <summary>ASPNETCORE_URLS (or --urls), else ASPNETCORE_HTTP_PORTS, else ASP.NET Core's own default.</summary>
    private static string[] HostingUrls(IConfiguration configuration)
    {
        char[] separators = [';', ','];
        const StringSplitOptions Split = StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries;
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            return urls.Split(separators, Split);
        }

        return configuration["http_ports"] is { Length: > 0 } ports
            ? ports.Split(separators, Split).Select(p => $"http://*:{p}").ToArray()
            : ["http://localhost:5000"];
    }

    internal sealed class GrpcConnectionFeature
    {
        public static readonly GrpcConnectionFeature Instance = new();
    }
}
