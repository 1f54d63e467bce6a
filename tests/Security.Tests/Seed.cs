using System.Text.Json.Nodes;
using Npgsql;

namespace PublicSafety.Security.Tests;

/// <summary>
/// The records the cases aim at: made through the APIs by the national caller, in KZ-75, each with a marker string that
/// only it carries. Some services get a KZ-71 record too, for calls that name one of the caller's own records next to a
/// KZ-75 one (a replayed key with a body of the caller's own region). Every platform is fresh, so fixed keys and markers
/// can't collide.
/// </summary>
public sealed record Seed(CrisisSeed Crisis, ProbationSeed Probation, FeedbackSeed Feedback, RoadSeed Road, CamerasSeed Cameras)
{
    public const string At = Callers.SeededRegion;

    public static async Task<Seed> CreateAsync(Platform platform) => new(
        await CrisisSeed.CreateAsync(new Seeder(platform["CrisisCapacity"])),
        await ProbationSeed.CreateAsync(new Seeder(platform["Probation"])),
        await FeedbackSeed.CreateAsync(new Seeder(platform["Feedback"])),
        await RoadSeed.CreateAsync(new Seeder(platform["RoadSafety"])),
        await CamerasSeed.CreateAsync(new Seeder(platform["Cameras"])));

    /// <summary>The same time in every request of a run, cut to seconds so that it reads back unchanged.</summary>
    public static readonly DateTimeOffset Now = new(DateTimeOffset.UtcNow.Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
}

/// <summary>Sends the seeding calls and insists on success: a seed that fails makes every case meaningless.</summary>
public sealed class Seeder(Service service)
{
    public async Task<JsonNode> SendAsync(Call call, Caller caller = Caller.National)
    {
        var reply = await Send.Async(service, call, caller);
        Assert.True(reply.IsSuccess, $"Seeding {service.Name}: {call.Describe()} answered {reply.Summary}: {reply.Body}");
        return reply.Body.Length == 0 ? new JsonObject() : JsonNode.Parse(reply.Body)!;
    }

    public async Task<Guid> IdAsync(Call call, Caller caller = Caller.National) => (await SendAsync(call, caller))["id"]!.GetValue<Guid>();

    public async Task SqlAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(service.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync();
    }
}
