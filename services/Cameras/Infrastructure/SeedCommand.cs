using System.Globalization;
using PublicSafety.Cameras.Extensions;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Data;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>
/// <c>dotnet PublicSafety.Cameras.dll seed [--cameras N]</c>: migrates the service's database and loads the synthetic national
/// dataset (<see cref="SyntheticCameraDataset"/>), then exits; the service itself does not start. Configured like the service
/// (ConnectionStrings__camerasdb, ...). Exit codes: 0 loaded or already loaded, 2 refused (the database holds real data or the
/// arguments are wrong), 1 failed.
/// </summary>
public static class SeedCommand
{
    public const string Verb = "seed";
    public const int MaxCameras = 2_000_000;

    public static async Task<int> RunAsync(string[] args)
    {
        int? cameras = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--cameras" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                && n is >= 100 and <= MaxCameras)
            {
                cameras = n;
                i++;
            }
            else if (args[i] is "--cameras" or "--help" or "-h")
            {
                Console.Error.WriteLine($"usage: PublicSafety.Cameras seed [--cameras N]   (N: 100 to {MaxCameras}; default {SyntheticCameraDataset.DefaultCameras}, the dataset's own densities)");
                return 2;
            }
            else
            {
                rest.Add(args[i]); // configuration overrides, as for the service: --ConnectionStrings:camerasdb=...
            }
        }

        var builder = WebApplication.CreateBuilder(rest.ToArray());
        builder.AddServiceDefaults();
        builder.AddApplicationServices();
        await using var app = builder.Build();
        var ct = app.Lifetime.ApplicationStopping;
        try
        {
            await app.Services.GetRequiredService<MigrationRunner>()
                .ApplyAsync([.. MigrationScript.Platform, .. MigrationScript.FromAssembly(typeof(Extensions.Extensions).Assembly)], ct);
            var result = await app.Services.GetRequiredService<SyntheticSeeder>().SeedAsync(cameras, ct);
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
            $"SYNTHETIC DATA (not a real inventory) loaded: dataset '{SyntheticCameraDataset.Name}' v{SyntheticCameraDataset.Version}, {r.Regions} regions, " +
            $"{r.Settlements} settlements ({r.Residents:N0} residents), {r.Cameras:N0} cameras, {r.Schools:N0} schools, {r.Sites:N0} crime-prone sites; " +
            "every row has synthetic = true.",
        SeedOutcome.AlreadyLoaded =>
            $"SYNTHETIC DATA already loaded (dataset '{SyntheticCameraDataset.Name}': {r.Settlements} settlements, {r.Cameras:N0} cameras, " +
            $"{r.Schools:N0} schools, {r.Sites:N0} sites); nothing changed.",
        _ => "SYNTHETIC DATA NOT LOADED: the database holds real (non-synthetic) cameras, settlements, schools or sites; " +
             "synthetic rows are never mixed into a real inventory. Use an empty database.",
    };
}
