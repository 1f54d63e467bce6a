using Microsoft.AspNetCore.Server.Kestrel.Core;
using PublicSafety.Gateway.Extensions;
using PublicSafety.Gateway.Limits;

namespace PublicSafety.Gateway.Hosting;

/// <summary>
/// Request limits, and the listening endpoints. REST clients use the usual ASPNETCORE_URLS (HTTP/1.1, and HTTP/2 where TLS
/// negotiates it). gRPC clients speak HTTP/2 over cleartext (h2c), which Kestrel serves only on an Http2-only endpoint, so
/// <see cref="GatewayOptions.GrpcUrl"/> adds one. Kestrel ignores ASPNETCORE_URLS once any endpoint is configured, so the
/// URLs are carried over as named endpoints of the <c>Kestrel:Endpoints</c> section ("http", "http-1", ...) next to "grpc"
/// (Kestrel still logs once that it overrides the URLs: it binds exactly them, by name).
/// </summary>
public static class GatewayKestrel
{
    public static IHostApplicationBuilder AddGatewayKestrel(this IHostApplicationBuilder builder, GatewayOptions options)
    {
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = RequestSizeLimits.Largest(options);
            kestrel.Limits.MaxRequestHeaderCount = options.MaxRequestHeaderCount;
            kestrel.Limits.MaxRequestHeadersTotalSize = options.MaxRequestHeadersTotalBytes;
        });

        if (string.IsNullOrWhiteSpace(options.GrpcUrl))
        {
            return builder;
        }

        var endpoints = new Dictionary<string, string?>
        {
            ["Kestrel:Endpoints:grpc:Url"] = options.GrpcUrl,
            ["Kestrel:Endpoints:grpc:Protocols"] = nameof(HttpProtocols.Http2),
        };
        if (!builder.Configuration.GetSection("Kestrel:Endpoints").GetChildren().Any())
        {
            var urls = HostingUrls(builder.Configuration);
            for (var i = 0; i < urls.Length; i++)
            {
                var name = i == 0 ? "http" : $"http-{i}";
                // Kestrel's default protocols: HTTP/1.1, plus HTTP/2 where TLS can negotiate it.
                endpoints[$"Kestrel:Endpoints:{name}:Url"] = urls[i];
            }
        }

        builder.Configuration.AddInMemoryCollection(endpoints);
        return builder;
    }

    /// <summary>ASPNETCORE_URLS (or --urls), else ASPNETCORE_HTTP_PORTS, else ASP.NET Core's own default.</summary>
    private static string[] HostingUrls(IConfiguration configuration)
    {
        var separators = new[] { ';', ',' };
        if (configuration["urls"] is { Length: > 0 } urls)
        {
            return urls.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        if (configuration["http_ports"] is { Length: > 0 } ports)
        {
            return ports.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(p => $"http://*:{p}").ToArray();
        }

        return ["http://localhost:5000"];
    }
}
