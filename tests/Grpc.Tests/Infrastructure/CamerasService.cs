using Npgsql;
using PublicSafety.Testing;

namespace PublicSafety.Grpc.Tests.Infrastructure;

/// <summary>
/// The real Cameras service as a child process with a gRPC endpoint (Grpc__Url) and a database of its own, holding a few
/// cameras around central Almaty and a larger synthetic region for streaming. Shared by the tests of a class.
/// </summary>
public sealed class CamerasService : IAsyncLifetime
{
    public const string StreamRegion = "KZ-10";
    public const int StreamRegionCameras = 1234;

    public static readonly Guid AbayAve = Guid.Parse("00000000-0000-7000-8000-000000000001");
    public static readonly Guid PtzNearby = Guid.Parse("00000000-0000-7000-8000-000000000002");
    public static readonly Guid BodyWornNorth = Guid.Parse("00000000-0000-7000-8000-000000000003");
    public static readonly Guid FarNorth = Guid.Parse("00000000-0000-7000-8000-000000000004");
    public static readonly Guid Astana = Guid.Parse("00000000-0000-7000-8000-000000000005");

    public ServiceProcess Service { get; private set; } = null!;

    public TestDatabase Database { get; private set; } = null!;

    public int GrpcPort { get; private set; }

    /// <summary>host:port, as grpc-js takes it.</summary>
    public string GrpcAddress => $"127.0.0.1:{GrpcPort}";

    public Uri GrpcUri => new($"http://{GrpcAddress}");

    public async Task InitializeAsync()
    {
        GrpcPort = FreePort.Next();
        (Service, Database) = await ServiceProcess.StartWithDatabaseAsync("Cameras", new Dictionary<string, string?>
        {
            ["Grpc__Url"] = $"http://127.0.0.1:{GrpcPort}",
            ["Logging__LogLevel__Grpc.AspNetCore.Server"] = "Debug",
        });
        await SeedAsync();
    }

    private async Task SeedAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var batch = new NpgsqlBatch(connection);
        void Add(Guid id, string? name, string kind, string status, string region, double lat, double lon)
        {
            var cmd = new NpgsqlBatchCommand(
                "INSERT INTO cameras (id, name, kind, status, region, location) VALUES (@id, @name, @kind, @status, @region, ST_SetSRID(ST_MakePoint(@lon, @lat), 4326)::geography)");
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("name", (object?)name ?? DBNull.Value);
            cmd.Parameters.AddWithValue("kind", kind);
            cmd.Parameters.AddWithValue("status", status);
            cmd.Parameters.AddWithValue("region", region);
            cmd.Parameters.AddWithValue("lat", lat);
            cmd.Parameters.AddWithValue("lon", lon);
            batch.BatchCommands.Add(cmd);
        }

        Add(AbayAve, "Abay Ave 1", "fixed", "active", "KZ-75", 43.2567, 76.9286);
        Add(PtzNearby, null, "ptz", "maintenance", "KZ-75", 43.2600, 76.9400);
        Add(BodyWornNorth, "Patrol 7", "body_worn", "active", "KZ-75", 43.2700, 76.9286);
        Add(FarNorth, "Northern bypass", "fixed", "active", "KZ-75", 43.3500, 76.9286);
        Add(Astana, "Baiterek", "fixed", "active", "KZ-71", 51.1283, 71.4305);
        var random = new Random(7);
        for (var i = 0; i < StreamRegionCameras; i++)
        {
            Add(Guid.CreateVersion7(), $"Semey {i}", i % 3 == 0 ? "ptz" : "fixed", i % 10 == 0 ? "maintenance" : "active", StreamRegion,
                50.4 + random.NextDouble(), 80.2 + random.NextDouble());
        }

        await batch.ExecuteNonQueryAsync();
    }

    public async Task DisposeAsync()
    {
        await Service.DisposeAsync();
        await Database.DisposeAsync();
    }
}
