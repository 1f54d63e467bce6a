using Yarp.ReverseProxy.Transforms;
using Yarp.ReverseProxy.Transforms.Builder;

namespace PublicSafety.Gateway.Proxy;

/// <summary>
/// The gateway is the edge: X-Forwarded-For/Proto/Host/Prefix are the gateway's own view of the client, set (never appended
/// to) on every proxied request. Client-supplied values have already been stripped at the edge (see IdentityHeaderStripping).
/// </summary>
public sealed class ForwardedHeadersTransform : ITransformProvider
{
    public void ValidateRoute(TransformRouteValidationContext context)
    {
    }

    public void ValidateCluster(TransformClusterValidationContext context)
    {
    }

    public void Apply(TransformBuilderContext context)
    {
        context.UseDefaultForwarders = false;
        context.AddXForwarded(ForwardedTransformActions.Set);
    }
}
