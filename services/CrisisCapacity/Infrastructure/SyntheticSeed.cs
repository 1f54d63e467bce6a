using Microsoft.Extensions.Options;
using Npgsql;
using PublicSafety.CrisisCapacity.Extensions;
using PublicSafety.CrisisCapacity.Model;

namespace PublicSafety.CrisisCapacity.Infrastructure;

/// <summary>
/// A synthetic national dataset whose totals match the concept (seed 004, §2.2): 15 state and 46 non-governmental crisis
/// centres, 976 beds, over the 20 regions. Every row is flagged <c>synthetic</c>, named "Synthetic ..." and placed at a
/// region's administrative centre with a deterministic offset: no real shelter's name, address or location.
/// No ЦВАД: the concept gives only the plan for 32 new ones (action plan 6.2), not the existing network.
/// </summary>
public static class SyntheticDataset
{
    public const int StateCentres = 15;
    public const int NgoCentres = 46;
    public const int Beds = 976;

    private static readonly (string Region, string Settlement, double Lat, double Lon)[] Centres =
    [
        ("KZ-10", "Semey", 50.41, 80.23), ("KZ-11", "Kokshetau", 53.28, 69.39), ("KZ-15", "Aktobe", 50.28, 57.17),
        ("KZ-19", "Konaev", 43.87, 77.07), ("KZ-23", "Atyrau", 47.10, 51.92), ("KZ-27", "Oral", 51.23, 51.37),
        ("KZ-31", "Taraz", 42.90, 71.37), ("KZ-33", "Taldykorgan", 45.02, 78.37), ("KZ-35", "Karaganda", 49.80, 73.10),
        ("KZ-39", "Kostanay", 53.21, 63.62), ("KZ-43", "Kyzylorda", 44.85, 65.51), ("KZ-47", "Aktau", 43.65, 51.16),
        ("KZ-55", "Pavlodar", 52.29, 76.97), ("KZ-59", "Petropavl", 54.87, 69.15), ("KZ-61", "Turkistan", 43.30, 68.25),
        ("KZ-62", "Zhezkazgan", 47.80, 67.71), ("KZ-63", "Oskemen", 49.95, 82.61), ("KZ-71", "Astana", 51.17, 71.43),
        ("KZ-75", "Almaty", 43.24, 76.89), ("KZ-79", "Shymkent", 42.34, 69.59),
    ];

    public static Guid IdOf(int index) => Guid.Parse($"5eed0000-0000-7000-8000-{index:D12}");

    /// <summary>The 61 facilities, the same on every run.</summary>
    public static IReadOnlyList<(Guid Id, FacilityData Data)> Build()
    {
        var count = StateCentres + NgoCentres;
        var random = new Random(976);
        // 16 beds each is 976; move beds between pairs so that sizes vary and the total stays.
        var beds = Enumerable.Repeat(Beds / count, count).ToArray();
        for (var i = 0; i + 1 < count; i += 2)
        {
            var moved = random.Next(0, 9);
            beds[i] += moved;
            beds[i + 1] -= moved;
        }

        var facilities = new List<(Guid, FacilityData)>(count);
        for (var i = 0; i < count; i++)
        {
            // Three per region, a fourth in Almaty; the first centre of 15 regions is the state one.
            var (region, settlement, lat, lon) = Centres[i < 60 ? i % Centres.Length : 18];
            var state = i < StateCentres;
            var withChildren = beds[i] / 2;
            var women = beds[i] * 3 / 10;
            var data = new FacilityData(
                state ? FacilityKinds.StateCrisisCentre : FacilityKinds.NgoCrisisCentre,
                $"Synthetic crisis centre {i + 1:D2} ({settlement})", region, settlement,
                lat + (i / Centres.Length + 1) * 0.011, lon + (i / Centres.Length + 1) * 0.013,
                $"Synthetic address {i + 1:D2}, {settlement} (not a real place)", "+7 700 000 00 00", null,
                new FacilityServices(Psychologist: true, Lawyer: i % 2 == 0, MedicalCare: state, AcceptsChildren: true, Accessible: i % 3 == 0),
                OpenAtNight: true,
                [new BedCount(BedCategories.WomenWithChildren, withChildren, 0), new BedCount(BedCategories.Women, women, 0),
                 new BedCount(BedCategories.Minors, beds[i] - withChildren - women, 0)]);
            facilities.Add((IdOf(i), data));
        }

        return facilities;
    }
}

/// <summary>
/// Loads <see cref="SyntheticDataset"/> once the schema is there when the service runs with <c>Crisis:SeedSynthetic=true</c>
/// (e.g. <c>dotnet PublicSafety.CrisisCapacity.dll --Crisis:SeedSynthetic=true</c>). Idempotent: facilities already there are skipped.
/// </summary>
public sealed class SyntheticSeeder(FacilityStore store, NpgsqlDataSource dataSource, IOptions<CrisisOptions> options, ILogger<SyntheticSeeder> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SeedSynthetic)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var added = 0;
                foreach (var (id, data) in SyntheticDataset.Build())
                {
                    if (!await ExistsAsync(id, stoppingToken))
                    {
                        await store.CreateAsync(id, data, synthetic: true, stoppingToken);
                        added++;
                    }
                }

                logger.LogInformation("Synthetic dataset loaded ({FacilitiesAdded} facilities added)", added);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                // The schema is not migrated yet (42P01), or PostgreSQL is away, or another replica seeds the same row.
                logger.LogInformation("Synthetic dataset not loaded yet ({Reason}); retrying", ex.GetType().Name);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task<bool> ExistsAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM facilities WHERE id = @id)");
        cmd.Parameters.AddWithValue("id", id);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }
}
