using System.Globalization;
using Npgsql;
using PublicSafety.Cameras.Extensions;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Data;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>
/// <c>dotnet PublicSafety.Cameras.dll rekey [--batch-size N]</c>: re-encrypts every stored stream endpoint under the current
/// <c>Cameras:StreamKey</c> (<see cref="StreamRekeying"/>), prints what it did and exits; the service itself does not start.
/// Configured like the service (<c>ConnectionStrings__camerasdb</c>, <c>Cameras__StreamKey</c>, <c>Cameras__PreviousStreamKeys</c>,
/// or the same as <c>--Key=value</c> arguments). Exit codes: 0 every endpoint is under the current key (the previous keys
/// can go), 2 some endpoint no configured key opens (left as it was; also wrong arguments), 1 failed.
/// </summary>
public static class RekeyCommand
{
    public const string Verb = "rekey";
    public const int DefaultBatchSize = 500;
    public const int MaxBatchSize = 10_000;
    private const int MaxListed = 50;

    public static async Task<int> RunAsync(string[] args)
    {
        var batchSize = DefaultBatchSize;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--batch-size" && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                && n is >= 1 and <= MaxBatchSize)
            {
                batchSize = n;
                i++;
            }
            else if (args[i] is "--batch-size" or "--help" or "-h")
            {
                Console.Error.WriteLine($"usage: PublicSafety.Cameras rekey [--batch-size N]   (N: 1 to {MaxBatchSize}; default {DefaultBatchSize} cameras per transaction)");
                return 2;
            }
            else
            {
                rest.Add(args[i]); // configuration overrides, as for the service: --Cameras:StreamKey=...
            }
        }

        try
        {
            var builder = WebApplication.CreateBuilder([.. rest]);
            builder.AddServiceDefaults();
            builder.AddApplicationServices();
            builder.Services.AddSingleton<StreamRekeying>();
            await using var app = builder.Build();
            var ct = app.Lifetime.ApplicationStopping;
            await app.Services.MigrateAsync(ct);
            var result = await app.Services.GetRequiredService<StreamRekeying>().RunAsync(batchSize, ct);
            Console.WriteLine(Describe(result));
            return result.Unreadable.Count == 0 ? 0 : 2;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            Console.Error.WriteLine($"STREAM ENDPOINTS NOT RE-ENCRYPTED: {ex.GetType().Name}: {ex.Message}");
            return 1;
        }
    }

    public static string Describe(RekeyResult r)
    {
        var from = r.ResealedFrom.Count == 0 ? "" : $" ({string.Join(", ", r.ResealedFrom.Select(k => $"{k.Value:N0} sealed with {k.Key}"))})";
        var summary = $"Stream endpoints under key {r.KeyId}: {r.Examined:N0} examined, {r.Resealed:N0} re-encrypted{from}, {r.AlreadyCurrent:N0} already under it, "
                      + $"{r.Unreadable.Count:N0} unreadable.";
        if (r.Unreadable.Count == 0)
        {
            return summary + $"\nEvery stored stream endpoint is under key {r.KeyId}. Once every replica runs with this {StreamProtector.KeySetting}, "
                           + $"the keys in {StreamProtector.PreviousKeysSetting} can be removed.";
        }

        var listed = string.Join("\n", r.Unreadable.Take(MaxListed).Select(u => $"  camera {u.CameraId}: sealed with {u.SealedWith}"));
        var more = r.Unreadable.Count > MaxListed ? $"\n  ... and {r.Unreadable.Count - MaxListed:N0} more" : "";
        return summary + "\nNo configured key opens these endpoints; they were left as they are:\n" + listed + more
               + $"\nSet them again (PUT /api/cameras/{{id}}/stream), or add their key to {StreamProtector.PreviousKeysSetting} and run rekey again. "
               + $"Keep the previous keys until a run reports none unreadable.";
    }
}
