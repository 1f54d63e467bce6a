using System.Security.Cryptography;
using Microsoft.Net.Http.Headers;

namespace PublicSafety.Feedback.Pages;

/// <summary>
/// The pages' one stylesheet and one script, embedded in the assembly: the same bytes under <c>dotnet run</c>, in tests and in
/// the container image. Their URLs carry a hash of the content, so a phone keeps them for a year and fetches them again only
/// when they change.
/// </summary>
public sealed class CitizenAssets
{
    private readonly Dictionary<string, Asset> _assets = new(StringComparer.Ordinal);

    public CitizenAssets()
    {
        var assembly = typeof(CitizenAssets).Assembly;
        foreach (var (name, type) in new[] { ("site.css", "text/css; charset=utf-8"), ("citizen.js", "text/javascript; charset=utf-8") })
        {
            using var stream = assembly.GetManifestResourceStream("citizen." + name)
                ?? throw new InvalidOperationException($"The embedded asset citizen.{name} is missing.");
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var body = copy.ToArray();
            _assets[name] = new Asset(body, type, Convert.ToHexStringLower(SHA256.HashData(body))[..16]);
        }
    }

    public string Url(string name) => $"{CitizenPages.Prefix}/assets/{name}?v={_assets[name].Version}";

    public IResult Serve(string name, string? version)
    {
        if (!_assets.TryGetValue(name, out var asset))
        {
            return Html.Outcome(Outcomes.PageNotFound);
        }

        // An old page asking for an older version gets the current one, revalidated on every use rather than kept a year.
        var cache = version == asset.Version ? "public, max-age=31536000, immutable" : "no-cache";
        return new CachedBytes(asset, cache);
    }

    private sealed record Asset(byte[] Body, string ContentType, string Version);

    private sealed class CachedBytes(Asset asset, string cacheControl) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = cacheControl;
            return TypedResults.Bytes(asset.Body, asset.ContentType, entityTag: new EntityTagHeaderValue($"\"{asset.Version}\"")).ExecuteAsync(httpContext);
        }
    }
}
