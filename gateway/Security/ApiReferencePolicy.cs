using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using PublicSafety.Gateway.Apis;

namespace PublicSafety.Gateway.Security;

/// <summary>
/// The API reference page runs Scalar, so it needs more than the gateway's default policy: scripts, styles, images and
/// calls from this origin only, plus the one inline module with which Scalar's page starts itself. That module carries the
/// request path, so it is allowed by the hash of exactly what this response holds, computed as the page is served;
/// nothing else inline runs. Styles may be inline because Scalar injects its own at run time.
/// </summary>
public static partial class ApiReferencePolicy
{
    private const string Policy =
        "default-src 'none'; script-src 'self' {0}; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; " +
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    public static IApplicationBuilder UseApiReferencePolicy(this IApplicationBuilder app) =>
        app.UseWhen(context => IsPage(context.Request.Path), page => page.Use(async (context, next) =>
        {
            var body = context.Response.Body;
            using var buffer = new MemoryStream();
            context.Response.Body = buffer;
            try
            {
                await next(context);
            }
            finally
            {
                context.Response.Body = body;
            }

            if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
            {
                var hashes = InlineScript().Matches(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length))
                    .Where(m => m.Groups[1].Length > 0)
                    .Select(m => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(m.Groups[1].Value)))}'");
                context.Features.Set(new PagePolicy(string.Format(Policy, string.Join(' ', hashes))));
            }

            buffer.Position = 0;
            await buffer.CopyToAsync(body, context.RequestAborted);
        }));

    /// <summary>The page itself (<c>/scalar</c>, <c>/scalar/</c>, <c>/scalar/&lt;document&gt;</c>), not its script and image files.</summary>
    private static bool IsPage(PathString path) =>
        path.StartsWithSegments(ApiReferenceApi.Path, out var rest) && !rest.Value!.Contains('.');

    [GeneratedRegex("<script(?:\\s+type=\"module\")?>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex InlineScript();
}
