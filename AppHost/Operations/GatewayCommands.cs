using System.Diagnostics;
using System.Net.Http.Headers;
using PublicSafety.AppHost.Infrastructure;

namespace PublicSafety.AppHost.Operations;

/// <summary>
/// With the development key: a token for calling the API by hand (curl, the Scalar reference), and the gateway's own
/// report of every destination's readiness (<c>GET /gateway/destinations</c>, role platform.operator).
/// </summary>
internal static class GatewayCommands
{
    public static IResourceBuilder<ProjectResource> WithOperatorCommands(this IResourceBuilder<ProjectResource> gateway, PlatformIdentity identity)
    {
        if (identity.SigningKeyFile is not { } keyFile)
        {
            return gateway; // with Keycloak, tokens come from the realm's clients (keycloak/README.md)
        }

        var devToken = Tools.Dll(gateway.ApplicationBuilder, "tools/DevToken/PublicSafety.DevToken.csproj");
        gateway.WithCommand("token", "Development token", async context =>
        {
            List<string> arguments = ["--roles", context.Arguments.GetString("roles")!, "--lifetime", "60"];
            if (context.Arguments.GetString("region") is { Length: > 0 } region)
            {
                arguments.AddRange(["--region", region.Trim()]);
            }

            var token = await MintAsync(devToken, keyFile, arguments, context.CancellationToken);
            return CommandResults.Success("A token valid for 60 minutes: Authorization: Bearer <token>",
                new CommandResultData { Value = token, Format = CommandResultFormat.Text, DisplayImmediately = true });
        }, new CommandOptions
        {
            Description = "Mints a Keycloak-shaped token signed with the development key, for calling the gateway by hand.",
            IconName = "Key",
            Arguments =
            [
                new InteractionInput { Name = "roles", Label = "Roles (comma-separated)", InputType = InputType.Text, Value = "feedback.read,cameras.read", Required = true },
                new InteractionInput { Name = "region", Label = "Region (empty: national)", InputType = InputType.Text, Placeholder = "KZ-75", Required = false },
            ],
        });
        gateway.WithCommand("destinations", "Destinations report", async context =>
        {
            var token = await MintAsync(devToken, keyFile, ["--roles", "platform.operator", "--client", "apphost-operator"], context.CancellationToken);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var url = await gateway.GetEndpoint("http").GetValueAsync(context.CancellationToken);
            var report = await http.GetStringAsync($"{url}/gateway/destinations", context.CancellationToken);
            return CommandResults.Success("Readiness of every service behind the gateway",
                new CommandResultData { Value = report, Format = CommandResultFormat.Json, DisplayImmediately = true });
        }, new CommandOptions
        {
            Description = "The gateway's report of every destination's /health/ready, as agencies' calls would find them.",
            IconName = "HeartPulse",
        });
        return gateway;
    }

    private static async Task<string> MintAsync(string devToken, string keyFile, IEnumerable<string> arguments, CancellationToken ct)
    {
        var info = new ProcessStartInfo("dotnet", [devToken, "--key", keyFile, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return process.ExitCode == 0
            ? (await output).Trim()
            : throw new InvalidOperationException($"the token tool failed: {await error}");
    }
}
