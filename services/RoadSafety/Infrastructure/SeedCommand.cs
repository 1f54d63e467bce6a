using PublicSafety.RoadSafety.Extensions;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Data;

namespace PublicSafety.RoadSafety.Infrastructure;

/// <summary>
/// <c>dotnet PublicSafety.RoadSafety.dll seed</c>: migrates the service's database and loads the synthetic dataset
/// (<see cref="SyntheticDataset"/>) through <see cref="SyntheticLoader"/>, then exits; the service itself does not start.
/// Configured like the service (ConnectionStrings__roadsafetydb, ...). Exit codes: 0 loaded or already loaded, 2 refused (the
/// database holds real data or the arguments are wrong), 1 failed.
/// </summary>
public static class SeedCommand
{
    public const string Verb = "seed";

    public static async Task<int> RunAsync(string[] args)
    {
        // The command takes no arguments of its own; the rest are configuration overrides, as for the service
        // (--Key=value or --Key value), so a bare word that is no override's value is a mistake.
        var wrong = args.Where((a, i) => a is "--help" or "-h"
            || (!a.StartsWith("--", StringComparison.Ordinal) && (i == 0 || !args[i - 1].StartsWith("--", StringComparison.Ordinal) || args[i - 1].Contains('='))));
        if (wrong.Any())
        {
            Console.Error.WriteLine("usage: PublicSafety.RoadSafety seed   (configuration overrides as for the service: --ConnectionStrings:roadsafetydb=...)");
            return 2;
        }

        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        await using var app = builder.Build();
        var ct = app.Lifetime.ApplicationStopping;
        try
        {
            await app.Services.GetRequiredService<MigrationRunner>()
                .ApplyAsync([.. MigrationScript.Platform, .. MigrationScript.FromAssembly(typeof(Extensions.Extensions).Assembly)], ct);
            var result = await app.Services.GetRequiredService<SyntheticLoader>().LoadAsync(ct);
            Console.WriteLine(Describe(result));
            return result.Outcome == SeedOutcome.RefusedRealData ? 2 : 0;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            Console.Error.WriteLine($"SYNTHETIC DATA NOT LOADED: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    public static string Describe(SeedResult r) => r.Outcome switch
    {
        SeedOutcome.Loaded =>
            $"SYNTHETIC DATA (not real devices or accidents) loaded: {r.Devices:N0} devices of vendor 'Synthetic vendor', {r.Sections} average-speed sections, " +
            $"{r.Accidents:N0} accidents (ids SYN-...), {r.Regions} synthetic region populations.",
        SeedOutcome.AlreadyLoaded =>
            $"SYNTHETIC DATA already loaded ({r.Devices:N0} synthetic devices, {r.Sections} sections, {r.Accidents:N0} synthetic accidents); nothing changed.",
        _ => "SYNTHETIC DATA NOT LOADED: the database holds real (non-synthetic) devices, accidents or region populations; " +
             "synthetic rows are never mixed with real ones. Use an empty database.",
    };
}
