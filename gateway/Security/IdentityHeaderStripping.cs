namespace PublicSafety.Gateway.Security;

/// <summary>
/// Drops request headers through which a client could claim an identity, a role, a region or an address that the
/// gateway has not verified. Services trust only the token (passed on untouched) and the X-Forwarded-* headers the
/// gateway itself sets (see ForwardedHeadersTransform).
/// </summary>
public static class IdentityHeaderStripping
{
    private static readonly HashSet<string> Names = new(StringComparer.OrdinalIgnoreCase)
    {
        "X-Remote-User", "X-Remote-Group", "X-User", "X-User-Id", "X-User-Name", "X-Roles", "X-Region", "X-Client-Id",
        "X-Real-IP", "X-Client-IP", "True-Client-IP", "Forwarded",
    };

    // X-Forwarded-* covers X-Forwarded-User/-Email/-Groups/-Preferred-Username/-Access-Token and the client's own
    // X-Forwarded-For/-Proto/-Host/-Prefix, which the gateway replaces with its own.
    private static readonly string[] Prefixes = ["X-Forwarded-", "X-Authenticated-", "X-Auth-", "X-PublicSafety-", "X-Original-"];

    public static IApplicationBuilder UseIdentityHeaderStripping(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        List<string>? spoofed = null;
        foreach (var header in context.Request.Headers)
        {
            if (IsIdentityHeader(header.Key))
            {
                (spoofed ??= []).Add(header.Key);
            }
        }

        if (spoofed is not null)
        {
            foreach (var name in spoofed)
            {
                context.Request.Headers.Remove(name);
            }
        }

        return next(context);
    });

    public static bool IsIdentityHeader(string name)
    {
        if (Names.Contains(name))
        {
            return true;
        }

        foreach (var prefix in Prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
