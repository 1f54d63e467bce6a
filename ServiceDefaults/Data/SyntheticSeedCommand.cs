using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace PublicSafety.ServiceDefaults.Data;

/// <summary>What loading a service's synthetic dataset did.</summary>
public enum SeedOutcome
{
    Loaded,
    AlreadyLoaded,

    /// <summary>The database holds real records: invented rows are never mixed in among them.</summary>
    RefusedRealData,
}

/// <summary>
/// The <c>seed</c> command of a service's executable (<c>dotnet PublicSafety.&lt;Service&gt;.dll seed</c>): builds the service's
/// own services from its configuration (the same <c>ConnectionStrings__*</c> and overrides as the service), brings the schema up
/// to date, runs the service's loader, prints its report and exits; the service itself does not start. Exit codes: 0 loaded or
/// already loaded, 2 refused (real data; the service's own argument errors use 2 as well), 1 failed.
/// </summary>
public static class SyntheticSeedCommand
{
    public const string Verb = "seed";

    public static async Task<int> RunAsync(string[] configurationArgs, Action<IHostApplicationBuilder> addApplicationServices,
        Func<IServiceProvider, CancellationToken, Task<(SeedOutcome Outcome, string Report)>> load)
    {
        var builder = WebApplication.CreateBuilder(configurationArgs);
        builder.AddServiceDefaults();
        addApplicationServices(builder);
        await using var app = builder.Build();
        var ct = app.Lifetime.ApplicationStopping;
        try
        {
            await app.Services.MigrateAsync(ct);
            var (outcome, report) = await load(app.Services, ct);
            Console.WriteLine(report);
            return outcome == SeedOutcome.RefusedRealData ? 2 : 0;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            Console.Error.WriteLine($"SYNTHETIC DATA NOT LOADED: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }
}
