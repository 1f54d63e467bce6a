using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.Bench.Probation;

/// <summary>
/// The simulator against a running stack (e.g. <c>./build.sh up</c>, through the gateway): sets up persons, zones and
/// bracelets through the API as a development officer, then reports positions for them every <c>interval</c> until
/// stopped, printing the officer's alerts as they come. With the default 20 persons two of each rule breaker take part
/// (breakEvery 10), so every violation kind shows up: tamper and bracelet gone at once, curfew and exclusion zone as they
/// move, no fix and battery not charged after the running service's NoFixAfter and ChargeWithin. Tokens are signed with
/// the local development key, which only services in Development trust.
/// </summary>
public static class LocalRun
{
    private const string Vendor = "sim-vendor";

    public static async Task RunAsync(Uri target, int persons, TimeSpan interval, TimeSpan duration)
    {
        var keyFile = Environment.GetEnvironmentVariable("PUBLICSAFETY_DEV_KEY") ?? DevTokens.DefaultKeyPath(TestEnvironment.RepositoryRoot);
        var tokens = DevTokens.FromKeyFile(keyFile);
        using var officer = Client(target, tokens.Create(new TokenRequest { User = "sim-officer", Region = "KZ-75", Roles = ["probation.officer"], Lifetime = duration + TimeSpan.FromHours(1) }));
        using var vendor = Client(target, tokens.Create(new TokenRequest { Client = Vendor, Roles = ["probation.ingest"], Lifetime = duration + TimeSpan.FromHours(1) }));
        var simulator = new Simulator(persons, breakEvery: 10, leaveAfter: interval * 2);

        // A curfew open now (local time, Kazakhstan's one offset, UTC+5), so that the rule breakers show up at once in a demonstration.
        var local = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(5));
        var curfew = new { start = local.AddHours(-1).ToString("HH:mm", CultureInfo.InvariantCulture), end = local.AddHours(7).ToString("HH:mm", CultureInfo.InvariantCulture) };
        var run = Guid.NewGuid().ToString("N")[..6];
        var serials = new string[persons];
        for (var i = 0; i < persons; i++)
        {
            var person = await PostAsync(officer, "/api/probation/persons", new
            {
                category = "parolee", region = "KZ-75", courtOrder = $"SIM-{run}-{i}", fullName = $"Synthetic person {i}",
                supervisionStart = DateTimeOffset.UtcNow.AddDays(-1), supervisionEnd = DateTimeOffset.UtcNow.AddDays(180),
            });
            var id = person.GetProperty("id").GetGuid();
            var (lat, lon) = Simulator.Home(i);
            await PostAsync(officer, $"/api/probation/persons/{id}/zones", new { kind = "inclusion", name = "Home", latitude = lat, longitude = lon, radiusMeters = 100, curfews = new[] { curfew } });
            if (simulator.BehaviourOf(i) == Behaviour.EntersExclusionZone)
            {
                await PostAsync(officer, $"/api/probation/persons/{id}/zones", new
                {
                    kind = "exclusion", name = "Protected address", latitude = lat, longitude = lon + 1000 / (111_320 * Math.Cos(lat * Math.PI / 180)),
                    radiusMeters = 150, outerRadiusMeters = 400,
                });
            }

            serials[i] = $"SIM-{run}-{i:D4}";
            var device = await PostAsync(officer, "/api/probation/devices", new { vendor = Vendor, serial = serials[i], kind = "bracelet", region = "KZ-75" });
            await PostAsync(officer, $"/api/probation/devices/{device.GetProperty("id").GetGuid()}/assign", new { personId = id });
        }

        Console.WriteLine($"{persons} synthetic persons with bracelets set up; reporting every {interval.TotalSeconds:0}s for {duration.TotalSeconds:0}s (Ctrl+C stops)");
        var started = DateTimeOffset.UtcNow;
        while (DateTimeOffset.UtcNow - started < duration)
        {
            var now = DateTimeOffset.UtcNow;
            var positions = new List<Position>();
            var events = new List<DeviceEvent>();
            for (var i = 0; i < persons; i++)
            {
                simulator.Report(i, serials[i], now, now - started, positions, events);
            }

            await PostAsync(vendor, "/api/probation/telemetry", new { positions, events });
            var alerts = await officer.GetFromJsonAsync<JsonElement[]>("/api/probation/alerts?status=open");
            Console.WriteLine($"{now:HH:mm:ss} {positions.Count} positions and {events.Count} device events sent; open alerts: " +
                              string.Join(", ", alerts!.GroupBy(a => a.GetProperty("kind").GetString()).Select(g => $"{g.Key} {g.Count()}")));
            await Task.Delay(interval);
        }
    }

    private static HttpClient Client(Uri target, string token)
    {
        var client = new HttpClient { BaseAddress = target };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> PostAsync(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {path}: {(int)response.StatusCode} {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
