using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Npgsql;
using PublicSafety.Contracts.Feedback;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.CitizenPages.Tests;

/// <summary>
/// The citizens' pages as a citizen reaches them: the real Feedback process (fresh database, the shared broker behind a prefix
/// of its own) behind the real gateway, and Debian's chromium driven by Playwright. The invitation links point at the gateway.
/// </summary>
public sealed class CitizenSite : IAsyncLifetime
{
    private readonly SemaphoreSlim _ratingOnce = new(1, 1);
    private bool _ratingPublished;

    public string Prefix { get; } = "cp" + Guid.NewGuid().ToString("N")[..10];

    public ServiceProcess Feedback { get; private set; } = null!;

    public ServiceProcess Gateway { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    private IPlaywright Playwright { get; set; } = null!;

    public async Task InitializeAsync()
    {
        var gatewayPort = FreePort.Next();
        (Feedback, Database) = await ServiceProcess.StartWithDatabaseAsync("Feedback", new Dictionary<string, string?>
        {
            ["Messaging__EndpointPrefix"] = Prefix,
            ["Messaging__EntityPrefix"] = Prefix + ".",
            ["Feedback__SurveyPageUrl"] = $"http://127.0.0.1:{gatewayPort}/citizen/survey",
        });
        // Many pages a second from one address: the limit itself is tested with a gateway of its own (GatewayTests).
        Gateway = ServiceProcess.Start("Gateway", new Dictionary<string, string?>
        {
            ["services__feedback__http__0"] = Feedback.BaseAddress.ToString(),
            ["Gateway__RateLimits__Anonymous__PermitsPerWindow"] = "1000",
            ["Gateway__RateLimits__Anonymous__Burst"] = "1000",
        }, gatewayPort);
        await Gateway.WaitForHealthAsync("/health/ready", TimeSpan.FromSeconds(60));
        (Playwright, Browser) = await Chromium.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Gateway.DisposeAsync();
        await Feedback.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>A fresh browser profile (no cookies) with a phone-sized viewport and the given browser language.</summary>
    public Task<BrowserSession> OpenAsync(string locale = "kk-KZ", bool javaScript = true, int width = 360, int height = 740) =>
        BrowserSession.OpenAsync(Browser, Gateway.BaseAddress, locale, javaScript, width, height);

    /// <summary>
    /// Registers an interaction as the 102 dispatch system would and takes the survey link from SurveyInvitationIssued as the
    /// broker delivers it to a subscriber (the notification system).
    /// </summary>
    public async Task<Invitation> IssueInvitationAsync(string region = "KZ-75", DateTimeOffset? occurredAt = null)
    {
        await using var tap = await BrokerTap.OpenAsync(BrokerTap.ExchangeFor<SurveyInvitationIssued>(Prefix + "."));
        using var police = Feedback.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["feedback.ingest"], Client = "police-102" }));
        using var response = await police.PostAsJsonAsync("/api/feedback/interactions", new
        {
            reference = "CARD-" + Letters(),
            kind = "call_102",
            region,
            unit = "Unit " + Letters(),
            channel = "phone",
            occurredAt = occurredAt ?? DateTimeOffset.UtcNow.AddHours(-2),
            surveyConsent = true,
            safeChannel = "sms",
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var interaction = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
        var delivered = await tap.ReceiveAsync(e => e["message"]?["interactionId"]?.GetValue<Guid>() == interaction, TimeSpan.FromSeconds(30));
        var message = delivered.Envelope["message"]!;
        return new Invitation(interaction, message["token"]!.GetValue<string>(), message["surveyLink"]!.GetValue<string>());
    }

    /// <summary>A complaint handler's step, as the complaint desk records it.</summary>
    public async Task StepAsync(string referenceCode, object step)
    {
        var id = await ScalarAsync<Guid>("SELECT id FROM complaints WHERE reference_code = @a", referenceCode);
        using var handler = Feedback.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["feedback.manage"], Client = "complaint-desk", User = "handler" }));
        using var response = await handler.PostAsJsonAsync($"/api/feedback/complaints/{id}/steps", step);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>
    /// Venues of Pavlodar Region with 102 signals in 2025's first half, and that half-year's rating published (once per site:
    /// a published half-year is frozen).
    /// </summary>
    public async Task PublishVenueRatingAsync()
    {
        await _ratingOnce.WaitAsync();
        try
        {
            if (_ratingPublished)
            {
                return;
            }

            using var manager = Feedback.CreateClient(TestTokens.Create(new TokenRequest { Roles = ["feedback.manage"], Client = "akimat" }));
            var at = new DateTimeOffset(2025, 3, 14, 22, 0, 0, TimeSpan.FromHours(5));
            foreach (var (name, kind, signals) in new[] { ("Irtysh Karaoke", "karaoke", new[] { "brawl", "violence", "weapons" }), ("Quiet Cafe", "cafe", ["noise"]) })
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/feedback/venues")
                {
                    Content = JsonContent.Create(new { name, kind, region = "KZ-55", settlement = "Pavlodar", address = "Toraigyrov street" }),
                };
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                using var created = await manager.SendAsync(request);
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                var venue = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();
                foreach (var signal in signals)
                {
                    using var recorded = await manager.PostAsJsonAsync($"/api/feedback/venues/{venue}/signals",
                        new { callReference = "CARD-" + Letters(), signalType = signal, receivedAt = at });
                    Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
                }
            }

            using var published = await manager.PostAsync("/api/feedback/venues/ratings/2025-H1/publish", null);
            Assert.Equal(HttpStatusCode.OK, published.StatusCode);
            _ratingPublished = true;
        }
        finally
        {
            _ratingOnce.Release();
        }
    }

    public async Task<T> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < args.Length; i++)
        {
            cmd.Parameters.AddWithValue(((char)('a' + i)).ToString(), args[i]);
        }

        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        for (var i = 0; i < args.Length; i++)
        {
            cmd.Parameters.AddWithValue(((char)('a' + i)).ToString(), args[i]);
        }

        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Unique letters only: digits could look like a phone or ID number, which the service refuses in names.</summary>
    public static string Letters() => string.Concat(Guid.NewGuid().ToByteArray().Select(b => (char)('A' + b % 26)));
}

public sealed record Invitation(Guid InteractionId, string Token, string Link);

[CollectionDefinition(Name)]
public sealed class CitizenCollection : ICollectionFixture<CitizenSite>
{
    public const string Name = "citizen-site";
}
