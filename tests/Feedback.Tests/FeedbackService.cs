using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using MassTransit;
using Npgsql;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.Feedback.Tests;

/// <summary>
/// The real Feedback process on a fresh database and the shared broker, with exchanges and queues of its own (a prefix),
/// short sweep intervals, a 4-second complaint deadline and an alert threshold of 5 responses.
/// </summary>
public class FeedbackService : IAsyncLifetime
{
    private readonly Dictionary<string, string?> _environment;
    private IBusControl? _bus;

    public FeedbackService()
        : this(new Dictionary<string, string?>())
    {
    }

    protected FeedbackService(Dictionary<string, string?> environment)
    {
        _environment = new Dictionary<string, string?>
        {
            ["Messaging__EndpointPrefix"] = Prefix,
            ["Messaging__EntityPrefix"] = Prefix + ".",
            ["Feedback__ComplaintReviewDeadline"] = "00:00:04",
            ["Feedback__OverdueSweepInterval"] = "00:00:01",
            ["Feedback__AlertSweepInterval"] = "00:00:01",
            ["Feedback__AlertMinimumResponses"] = "5",
        };
        foreach (var (key, value) in environment)
        {
            _environment[key] = value;
        }
    }

    public string Prefix { get; } = "fb" + Guid.NewGuid().ToString("N")[..10];

    public ServiceProcess Process { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    public async Task InitializeAsync() => (Process, Database) = await ServiceProcess.StartWithDatabaseAsync("Feedback", _environment);

    public async Task DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync();
        }

        await Process.DisposeAsync();
        await Database.DisposeAsync();
    }

    public HttpClient Client(string[] roles, string? region = null, string user = "analyst-1", string client = "police-102") =>
        Process.CreateClient(TestTokens.Create(new TokenRequest { Roles = roles, Region = region, Client = client, User = user }));

    public HttpClient Anonymous() => Process.CreateClient();

    /// <summary>A unique call-card reference of letters only, so that it can never look like a phone or ID number.</summary>
    public static string NewReference() => "CARD-" + UniqueLetters();

    /// <summary>
    /// A unique unit, venue or settlement name such as "Unit QXBTRWAK...". Letters only: a GUID's hex digits now and then hold a run
    /// that masking takes for a phone or ID number, and the service rightly refuses such a name with a 400.
    /// </summary>
    public static string NewName(string prefix) => $"{prefix} {UniqueLetters()}";

    private static string UniqueLetters() => string.Concat(Guid.NewGuid().ToByteArray().Select(b => (char)('A' + b % 26)));

    /// <summary>
    /// Registers an interaction through the API as a police system; returns its JSON. <paramref name="traceParent"/> is sent as
    /// the W3C header, as the calling system's instrumentation would.
    /// </summary>
    public async Task<JsonObject> RegisterAsync(string region = "KZ-75", string unit = "Medeu district police", bool consent = true,
        string kind = "call_102", string? offence = null, string? reference = null, string client = "police-102", DateTimeOffset? occurredAt = null,
        string? traceParent = null)
    {
        using var http = Client(["feedback.ingest"], client: client);
        if (traceParent is not null)
        {
            http.DefaultRequestHeaders.Add("traceparent", traceParent);
        }

        using var response = await http.PostAsJsonAsync("/api/feedback/interactions", new
        {
            reference = reference ?? NewReference(),
            kind,
            offenceCategory = offence,
            region,
            unit,
            channel = "phone",
            occurredAt = occurredAt ?? DateTimeOffset.UtcNow.AddHours(-2),
            surveyConsent = consent,
            safeChannel = consent ? "sms" : null,
        });
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>The token of the interaction's invitation, read from the SurveyInvitationIssued event in the outbox.</summary>
    public async Task<string> TokenAsync(Guid interactionId)
    {
        var events = await OutboxAsync("SurveyInvitationIssued", interactionId.ToString());
        return Assert.Single(events)["token"]!.GetValue<string>();
    }

    /// <summary>Events of a type in the outbox, optionally for one aggregate key.</summary>
    public async Task<IReadOnlyList<JsonObject>> OutboxAsync(string type, string? aggregateKey = null)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT body::text FROM outbox_messages WHERE message_type LIKE '%.' || @type || ',%' AND (@key::text IS NULL OR aggregate_key = @key) ORDER BY id
            """, connection);
        cmd.Parameters.AddWithValue("type", type);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("key", aggregateKey) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        var list = new List<JsonObject>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            list.Add(JsonNode.Parse(reader.GetString(0))!.AsObject());
        }

        return list;
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] args)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    /// <summary>Publishes an event to this service's exchanges, as another service's outbox dispatcher would.</summary>
    public async Task PublishAsync<T>(T message)
        where T : class
    {
        if (_bus is null)
        {
            var uri = TestEnvironment.RabbitUri;
            var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
            var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
            {
                cfg.Host(uri.Host, (ushort)uri.Port, uri.AbsolutePath is "" or "/" ? "/" : Uri.UnescapeDataString(uri.AbsolutePath[1..]), h =>
                {
                    h.Username(credentials[0]);
                    h.Password(credentials.Length > 1 ? credentials[1] : "");
                });
                cfg.MessageTopology.SetEntityNameFormatter(new PrefixEntityNameFormatter(cfg.MessageTopology.EntityNameFormatter, Prefix + "."));
            });
            await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
            _bus = bus;
        }

        await _bus.Publish(message);
    }

    public static async Task<JsonObject> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    public static object Answers(string token, int overall, int criteria = 5, string? comment = null) => new
    {
        token, overall, legality = criteria, thoroughness = criteria, timeliness = criteria, respect = criteria, informedness = criteria, comment,
    };
}

[CollectionDefinition(Name)]
public sealed class FeedbackCollection : ICollectionFixture<FeedbackService>
{
    public const string Name = "feedback";
}

/// <summary>Invitations that expire after one second.</summary>
public sealed class ShortLivedInvitationsService() : FeedbackService(new() { ["Feedback__InvitationLifetime"] = "00:00:01" });
