using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using PublicSafety.Gateway.Extensions;

namespace PublicSafety.Gateway.Security;

/// <summary>
/// Behind an ingress or load balancer every connection comes from the proxy, so the anonymous per-IP limit would put every
/// citizen in one bucket. For a connection from one of <see cref="GatewayOptions.TrustedProxies"/>, the client address is
/// the last X-Forwarded-For entry, the one that proxy appended; entries before it are the client's own claims and stay
/// ignored. With no trusted proxy configured (the default) nothing is taken from the headers, which the edge then strips.
/// </summary>
public static class TrustedProxies
{
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var trusted = app.ApplicationServices.GetRequiredService<IOptions<GatewayOptions>>().Value.TrustedProxies;
        if (trusted.Length == 0)
        {
            return app;
        }

        var options = new ForwardedHeadersOptions
        {
            ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto,
            ForwardLimit = 1,
        };
        // The defaults trust loopback; only what the operator named is trusted here.
        options.KnownProxies.Clear();
        options.KnownIPNetworks.Clear();
        foreach (var network in trusted)
        {
            options.KnownIPNetworks.Add(Parse(network));
        }

        return app.UseForwardedHeaders(options);
    }

    private static System.Net.IPNetwork Parse(string network)
    {
        if (System.Net.IPNetwork.TryParse(network, out var parsed))
        {
            return parsed;
        }

        if (IPAddress.TryParse(network, out var address))
        {
            return new System.Net.IPNetwork(address, address.GetAddressBytes().Length * 8);
        }

        throw new OptionsValidationException(GatewayOptions.Section, typeof(GatewayOptions),
            [$"Gateway:TrustedProxies: '{network}' is neither an address nor a CIDR network."]);
    }
}
