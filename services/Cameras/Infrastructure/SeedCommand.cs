using System.Globalization;
using PublicSafety.Cameras.Extensions;
using PublicSafety.ServiceDefaults.Data;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>
/// <c>dotnet PublicSafety.Cameras.dll seed [--cameras N]</c>: loads the synthetic national dataset
/// (<see cref="SyntheticCameraDataset"/>) and exits (<see cref="SyntheticSeedCommand"/>: migrations, configuration, exit codes).
/// </summary>
public static class SeedCommand
{
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

        return await SyntheticSeedCommand.RunAsync(rest.ToArray(), b => b.AddApplicationServices(), async (services, ct) =>
        {
            var result = await services.GetRequiredService<SyntheticSeeder>().SeedAsync(cameras, ct);
            return (result.Outcome, Describe(result));
        });
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
