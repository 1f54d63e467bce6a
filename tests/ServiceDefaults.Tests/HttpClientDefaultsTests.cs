using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PublicSafety.Testing;

namespace PublicSafety.ServiceDefaults.Tests;

/// <summary>What every HttpClient from <c>IHttpClientFactory</c> gets from <c>AddServiceDefaults</c>.</summary>
public sealed class HttpClientDefaultsTests : IAsyncLifetime
{
    private readonly Dictionary<string, int> _attempts = [];
    private WebApplication _upstream = null!;
    private Uri _upstreamAddress = null!;

    public async Task InitializeAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        _upstream = builder.Build();
        // Unavailable, and says to retry at once, so that the retries cost the test no backoff.
        _upstream.Map("/unavailable/{id}", (string id, HttpResponse response) =>
        {
            lock (_attempts)
            {
                _attempts[id] = _attempts.GetValueOrDefault(id) + 1;
            }

            response.Headers.RetryAfter = "0";
            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        _upstream.MapGet("/ok", () => "ok");
        await _upstream.StartAsync();
        _upstreamAddress = new Uri($"http://127.0.0.1:{port}");
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task AGetMeetingServiceUnavailableIsRetriedAndAPostIsNot()
    {
        await using var host = Service();
        using var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        using var get = await http.GetAsync(new Uri(_upstreamAddress, "/unavailable/get"));
        using var post = await http.PostAsync(new Uri(_upstreamAddress, "/unavailable/post"), new StringContent("{}"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, get.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        // The standard handler's three retries; a POST may have taken effect, so it is sent once.
        Assert.Equal(4, Attempts("get"));
        Assert.Equal(1, Attempts("post"));
    }

    [Fact]
    public async Task AServiceNameResolvesThroughServiceDiscovery()
    {
        await using var host = Service(new() { ["services:upstream:http:0"] = _upstreamAddress.ToString() });
        using var http = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient();

        var answer = await http.GetStringAsync("http://upstream/ok");

        Assert.Equal("ok", answer);
    }

    private int Attempts(string id)
    {
        lock (_attempts)
        {
            return _attempts.GetValueOrDefault(id);
        }
    }

    private static WebApplication Service(Dictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Keycloak:Authority"] = "http://127.0.0.1/realms/public-safety",
        });
        builder.Configuration.AddInMemoryCollection(settings ?? []);
        builder.AddServiceDefaults();
        return builder.Build();
    }
}
