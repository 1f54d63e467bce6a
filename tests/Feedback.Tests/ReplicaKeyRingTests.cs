using System.Net;
using System.Text.RegularExpressions;
using PublicSafety.Testing;

namespace PublicSafety.Feedback.Tests;

/// <summary>
/// Two Feedback processes on one database, as two replicas behind the gateway (or one before and after a restart): a
/// citizen's form served by one is accepted by the other, because the antiforgery key ring lives in the database.
/// </summary>
public sealed partial class ReplicaKeyRingTests : IAsyncLifetime
{
    private readonly string _prefix = "fbring" + Guid.NewGuid().ToString("N")[..8];
    private ServiceProcess _first = null!;
    private ServiceProcess _second = null!;
    private TestDatabase _database = null!;

    public async Task InitializeAsync()
    {
        var messaging = new Dictionary<string, string?>
        {
            ["Messaging__EndpointPrefix"] = _prefix,
            ["Messaging__EntityPrefix"] = _prefix + ".",
        };
        // Each in a home of its own, as pods are: Data Protection's default ring is a directory under the home.
        (_first, _database) = await ServiceProcess.StartWithDatabaseAsync("Feedback", new Dictionary<string, string?>(messaging) { ["HOME"] = Home("first") });
        var environment = ServiceProcess.EnvironmentFor("Feedback", _database.ConnectionString);
        foreach (var (key, value) in messaging)
        {
            environment[key] = value;
        }

        environment["HOME"] = Home("second");
        _second = await ServiceProcess.StartReadyAsync("Feedback", environment);
    }

    public async Task DisposeAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(Path.Combine(Path.GetTempPath(), _prefix), recursive: true);
    }

    private string Home(string replica) => Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), _prefix, replica)).FullName;

    [Fact]
    public async Task AComplaintFormServedByOneReplicaIsFiledByTheOther()
    {
        using var first = Client(_first);
        using var form = await first.GetAsync("/citizen/complaint");
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
        var html = await form.Content.ReadAsStringAsync();
        var cookie = Assert.Single(form.Headers.GetValues("Set-Cookie"), c => c.StartsWith("csrf=", StringComparison.Ordinal)).Split(';')[0];
        var unit = "Unit " + FeedbackService.NewName("Ring");

        using var second = Client(_second);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/citizen/complaint")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["csrf"] = Field(html, "csrf"),
                ["key"] = Field(html, "key"),
                ["region"] = "KZ-75",
                ["unit"] = unit,
                ["category"] = "rudeness",
                ["description"] = "Raised voice at the checkpoint",
            }),
        };
        post.Headers.Add("Cookie", cookie);
        using var filed = await second.SendAsync(post);

        Assert.Equal(HttpStatusCode.OK, filed.StatusCode);
        Assert.Matches(ReferenceCodeShape(), await filed.Content.ReadAsStringAsync());
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM complaints WHERE unit = @a", unit));
        // One ring for both: whichever replica made the key, the other read it from the table.
        Assert.Equal(1L, await Scalar("SELECT count(*) FROM data_protection_keys WHERE name LIKE 'key-%'"));
    }

    private static HttpClient Client(ServiceProcess process) =>
        new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    private static string Field(string html, string name) =>
        Regex.Match(html, $"name=\"{name}\" value=\"([^\"]+)\"") is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : throw new Xunit.Sdk.XunitException($"no {name} field in the form");

    private async Task<long> Scalar(string sql, string? a = null)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        if (a is not null)
        {
            command.Parameters.AddWithValue("a", a);
        }

        return (long)(await command.ExecuteScalarAsync())!;
    }

    [GeneratedRegex("FB(-[0-9A-HJKMNP-TV-Z]{4}){4}")]
    private static partial Regex ReferenceCodeShape();
}
