using PublicSafety.Testing;

namespace PublicSafety.Security.Tests;

/// <summary>One of the five services as this suite runs it: the process, its database and its h2c gRPC endpoint.</summary>
public sealed record Service(string Name, string RolePrefix, ServiceProcess Process, TestDatabase Database, Uri GrpcUri);

/// <summary>
/// The five services, each a real process on a fresh database and the shared broker. Every service gets exchanges and
/// queues of its own (a prefix), so that no event of one reaches another while a case compares a record before and after,
/// and every background job that would change a seeded record on its own (expiry, escalation, offline and silence
/// detection) is set far beyond the run.
/// </summary>
public class Platform : IAsyncLifetime
{
    public static readonly IReadOnlyDictionary<string, string> RolePrefixes = new Dictionary<string, string>
    {
        ["CrisisCapacity"] = "crisis",
        ["Probation"] = "probation",
        ["Feedback"] = "feedback",
        ["RoadSafety"] = "roadsafety",
        ["Cameras"] = "cameras",
    };

    private static readonly Dictionary<string, Dictionary<string, string?>> Settings = new()
    {
        ["CrisisCapacity"] = new() { ["Crisis__ReservationHold"] = "1.00:00:00" },
        ["Probation"] = new()
        {
            ["Probation__Detection__NoFixAfter"] = "8.00:00:00",
            ["Probation__Detection__ChargeWithin"] = "1.00:00:00",
            ["Probation__Alerts__EscalateAfter"] = "1.00:00:00",
            ["Probation__Alerts__CameraDeadline"] = "00:00:02",
            // Nobody listens there: an alert's nearby cameras become "unavailable" at once, and stay so.
            ["services__cameras__grpc__0"] = $"http://127.0.0.1:{FreePort.Next()}",
            ["TZDIR"] = "/nonexistent/zoneinfo",
        },
        // The seeded quality alert is written to its table; the detector would clear it at its first pass.
        ["Feedback"] = new() { ["Feedback__AlertSweepInterval"] = "1.00:00:00" },
        ["RoadSafety"] = new()
        {
            ["RoadSafety__SilentAfter"] = "1.00:00:00",
            ["services__cameras__grpc__0"] = $"http://127.0.0.1:{FreePort.Next()}",
        },
        ["Cameras"] = new() { ["Cameras__Health__OfflineAfter"] = "1.00:00:00" },
    };

    private readonly Dictionary<string, Service> _services = [];

    public IReadOnlyDictionary<string, Service> Services => _services;

    public Service this[string name] => _services[name];

    public async Task InitializeAsync()
    {
        var started = await Task.WhenAll(RolePrefixes.Keys.Select(StartAsync));
        foreach (var service in started)
        {
            _services[service.Name] = service;
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var service in _services.Values)
        {
            await service.Process.DisposeAsync();
            await service.Database.DisposeAsync();
        }
    }

    private static async Task<Service> StartAsync(string name)
    {
        var database = await TestDatabase.CreateAsync("sec" + name.ToLowerInvariant(), postgis: name != "Feedback");
        var grpc = new Uri($"http://127.0.0.1:{FreePort.Next()}");
        var prefix = "sec" + Guid.NewGuid().ToString("N")[..10];
        var environment = ServiceProcess.EnvironmentFor(name, database.ConnectionString);
        environment["Grpc__Url"] = grpc.ToString();
        environment["Messaging__EndpointPrefix"] = prefix;
        environment["Messaging__EntityPrefix"] = prefix + ".";
        foreach (var (key, value) in Settings[name])
        {
            environment[key] = value;
        }

        try
        {
            // Five services start at once on a small machine: more time than one alone needs.
            var process = await ServiceProcess.StartReadyAsync(name, environment, TimeSpan.FromMinutes(3));
            return new Service(name, RolePrefixes[name], process, database, grpc);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
    }
}

/// <summary>The platform the cross-region cases run on.</summary>
public sealed class EnumerationPlatform : Platform;

/// <summary>A platform of its own for the fuzz test, whose writes must not disturb the cases' records.</summary>
public sealed class FuzzPlatform : Platform;

[CollectionDefinition(Name)]
public sealed class EnumerationCollection : ICollectionFixture<EnumerationPlatform>
{
    public const string Name = "security-enumeration";
}

[CollectionDefinition(Name)]
public sealed class FuzzCollection : ICollectionFixture<FuzzPlatform>
{
    public const string Name = "security-fuzz";
}
