using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using PublicSafety.ServiceDefaults.Health;
using PublicSafety.Testing;

namespace PublicSafety.ServiceDefaults.Tests;

/// <summary>
/// What <c>AddServiceDefaults</c> traces for a request, with and without an OTLP endpoint. ActivitySource listeners are
/// process-wide, so these run one at a time (one class) and no other test here configures an exporter.
/// </summary>
public sealed class TelemetryTests
{
    private const string AspNetCoreSource = "Microsoft.AspNetCore";

    [Fact]
    public async Task WithoutAnExporterNothingListensToTheRequestYetItsTraceContinues()
    {
        await using var service = await StartAsync(exporter: false);
        var traceId = ActivityTraceId.CreateRandom();

        var seen = await ActivityInHandlerAsync(service, traceId);

        // The plain activity ASP.NET Core starts for its log scopes: no instrumentation ran on the request path.
        Assert.Equal(traceId.ToHexString(), seen.TraceId);
        Assert.Equal("", seen.Source);
    }

    [Fact]
    public async Task WithAnExporterRequestsAreRecordedAndProbesAreNot()
    {
        var stopped = new ConcurrentDictionary<ActivityTraceId, bool>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == AspNetCoreSource,
            // Leaves the decision to the platform's tracer provider.
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.None,
            ActivityStopped = a => stopped[a.TraceId] = a.Recorded,
        };
        ActivitySource.AddActivityListener(listener);
        await using var service = await StartAsync(exporter: true);
        var requestTrace = ActivityTraceId.CreateRandom();
        var probeTrace = ActivityTraceId.CreateRandom();

        var seen = await ActivityInHandlerAsync(service, requestTrace);
        using (var probe = Request(service, HealthEndpoints.LivePath, probeTrace))
        {
            using var response = await Client.SendAsync(probe);
            response.EnsureSuccessStatusCode();
        }

        Assert.Equal(requestTrace.ToHexString(), seen.TraceId);
        Assert.Equal(AspNetCoreSource, seen.Source);
        Assert.True(seen.Recorded);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(stopped.ContainsKey(probeTrace)), TimeSpan.FromSeconds(10)),
            "the probe's activity did not stop");
        Assert.False(stopped[probeTrace], "a probe was traced");
    }

    // Sends the traceparent the test wrote: HttpClient's own propagation would replace it while the test process traces.
    private static readonly HttpClient Client = new(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { Timeout = TimeSpan.FromSeconds(30) };

    private sealed record Seen(string TraceId, string Source, bool Recorded);

    private static async Task<Seen> ActivityInHandlerAsync(WebApplication service, ActivityTraceId traceId)
    {
        using var request = Request(service, "/activity", traceId);
        using var response = await Client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Seen>())!;
    }

    private static HttpRequestMessage Request(WebApplication service, string path, ActivityTraceId traceId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(service.Urls.Single()), path));
        request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        return request;
    }

    private static async Task<WebApplication> StartAsync(bool exporter)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Production });
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Keycloak:Authority"] = "http://127.0.0.1/realms/public-safety",
            ["Keycloak:RequireHttpsMetadata"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
            // Nothing listens there: the spans are dropped after the exporter tried.
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = exporter ? $"http://127.0.0.1:{FreePort.Next()}" : null,
        });
        builder.AddServiceDefaults();
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapGet("/activity", () => Activity.Current is { } a
            ? Results.Ok(new Seen(a.TraceId.ToHexString(), a.Source.Name, a.Recorded))
            : Results.NotFound()).AllowAnonymous();
        await app.StartAsync();
        return app;
    }
}
