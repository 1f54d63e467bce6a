using PublicSafety.RoadSafety.Extensions;
using PublicSafety.ServiceDefaults.Data;

namespace PublicSafety.RoadSafety.Infrastructure;

/// <summary>
/// <c>dotnet PublicSafety.RoadSafety.dll seed</c>: loads the synthetic dataset (<see cref="SyntheticDataset"/>) through
/// <see cref="SyntheticLoader"/> and exits (<see cref="SyntheticSeedCommand"/>: migrations, configuration, exit codes).
/// </summary>
public static class SeedCommand
{
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

        return await SyntheticSeedCommand.RunAsync(args, b => b.AddApplicationServices(), async (services, ct) =>
        {
            var result = await services.GetRequiredService<SyntheticLoader>().LoadAsync(ct);
            return (result.Outcome, Describe(result));
        });
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
