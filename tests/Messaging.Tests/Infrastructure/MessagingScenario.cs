using System.Net.Http.Json;
using Npgsql;
using PublicSafety.Testing;

namespace PublicSafety.Messaging.Tests.Infrastructure;

/// <summary>
/// Publisher and consumer processes of the messaging test host for one test: fresh databases, and a prefix of its own for
/// queues and exchanges, so tests share a broker without seeing each other's events.
/// </summary>
public sealed class MessagingScenario(Uri broker) : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _owned = [];

    public MessagingScenario() : this(TestEnvironment.RabbitUri)
    {
    }

    public string Prefix { get; } = "t" + Guid.NewGuid().ToString("N")[..10];

    public Uri Broker { get; } = broker;

    /// <summary>The consumer's queue (kebab-case, prefixed) and its error queue.</summary>
    public string ConsumerQueue => $"{Prefix}-camera-went-offline";

    public string ErrorQueue => ConsumerQueue + "_error";

    public async Task<TestDatabase> CreateDatabaseAsync(string role)
    {
        var database = await TestDatabase.CreateAsync("msg_" + role);
        _owned.Add(database);
        return database;
    }

    public async Task<TestHost> StartConsumerAsync(TestDatabase? database = null, IDictionary<string, string?>? settings = null) =>
        await StartAsync(database ?? await CreateDatabaseAsync("consumer"), consume: true, Broker, waitReady: true, settings);

    public async Task<TestHost> StartPublisherAsync(
        TestDatabase? database = null, Uri? broker = null, bool waitReady = true, IDictionary<string, string?>? settings = null) =>
        await StartAsync(database ?? await CreateDatabaseAsync("publisher"), consume: false, broker ?? Broker, waitReady, settings);

    private async Task<TestHost> StartAsync(TestDatabase database, bool consume, Uri broker, bool waitReady, IDictionary<string, string?>? settings = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__testdb"] = database.ConnectionString,
            ["ConnectionStrings__messaging"] = broker.ToString(),
            ["TestHost__Consume"] = consume ? "true" : "false",
            ["OTEL_SERVICE_NAME"] = consume ? "test-consumer" : "test-publisher",
            ["Messaging__EndpointPrefix"] = Prefix,
            ["Messaging__EntityPrefix"] = Prefix + ".",
            ["Messaging__MonitorInterval"] = "00:00:01",
            // Short retries: a poison message reaches the error queue in about a second.
            ["Messaging__Retry__Immediate"] = "1",
            ["Messaging__Retry__Delayed"] = "2",
            ["Messaging__Retry__FirstDelay"] = "00:00:00.200",
            ["Messaging__Outbox__MaxBackoff"] = "00:00:01",
            ["Messaging__Outbox__PublishTimeout"] = "00:00:05",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var process = waitReady
            ? await ServiceProcess.StartReadyAsync("Messaging.TestHost", environment, TimeSpan.FromSeconds(90))
            : ServiceProcess.Start("Messaging.TestHost", environment);
        _owned.Add(process);
        return new TestHost(process, database);
    }

    public async ValueTask DisposeAsync()
    {
        // Processes first (they hold connections to the databases), then the databases.
        foreach (var owned in _owned.OfType<ServiceProcess>().Reverse().Concat<IAsyncDisposable>(_owned.OfType<TestDatabase>()))
        {
            await owned.DisposeAsync();
        }
    }
}

/// <summary>One test host process and its database.</summary>
public sealed record TestHost(ServiceProcess Process, TestDatabase Database)
{
    public HttpClient CreateClient() => Process.CreateClient();

    public async Task<Written> MarkOfflineAsync(Guid cameraId, string? traceparent = null)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/test/cameras/{cameraId}/offline");
        if (traceparent is not null)
        {
            request.Headers.Add("traceparent", traceparent);
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<Written>())!;
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }

    public Task<long> EffectsAsync(Guid? messageId = null) => messageId is null
        ? ScalarAsync("SELECT count(*) FROM effects")
        : ScalarAsync("SELECT count(*) FROM effects WHERE message_id = @id", ("id", messageId.Value));

    public async Task<int> DeliveriesAsync(Guid messageId)
    {
        using var client = CreateClient();
        return await client.GetFromJsonAsync<int>($"/test/deliveries/{messageId}");
    }

    public async Task<LoadStatus> LoadAsync()
    {
        using var client = CreateClient();
        return (await client.GetFromJsonAsync<LoadStatus>("/test/load"))!;
    }

    public async Task StartLoadAsync(int count, int cameras, double ratePerSecond, int writers)
    {
        using var client = CreateClient();
        using var response = await client.PostAsJsonAsync("/test/load", new { count, cameras, ratePerSecond, writers });
        response.EnsureSuccessStatusCode();
    }

    public async Task<MessagingSnapshot> MessagingAsync()
    {
        using var client = CreateClient();
        return (await client.GetFromJsonAsync<MessagingSnapshot>("/test/messaging"))!;
    }
}

public sealed record Written(Guid MessageId, string? TraceId);

public sealed record LoadStatus(bool Running, long Committed, long Failed, double ElapsedSeconds, double CommitsPerSecond);

public sealed record MessagingSnapshot(long Backlog, double OldestUnsentAgeSeconds, Dictionary<string, long> ErrorQueues);
