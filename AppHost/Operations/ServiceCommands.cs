using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using PublicSafety.AppHost.Infrastructure;

namespace PublicSafety.AppHost.Operations;

/// <summary>
/// Commands on the services (dashboard: a resource's "..." menu). Loading a service's synthetic data is what an operator
/// does first on a fresh machine, and again after starting over; each runs the service's own seed (idempotent where the
/// service's is) against the database the service uses, with its output in the command's result.
/// </summary>
internal static class ServiceCommands
{
    private static readonly ProcessCommandOptions Output = new() { MaxOutputLineCount = 60 };

    /// <summary><c>&lt;service&gt; seed [options]</c> as a process: the service's executable in its seed mode.</summary>
    public static IResourceBuilder<ProjectResource> WithSeedCommand(
        this IResourceBuilder<ProjectResource> service, IResourceBuilder<IResourceWithConnectionString> database,
        string description, params (string Name, string Label, string Default)[] options)
    {
        var commandOptions = new ProcessCommandOptions
        {
            Description = description,
            IconName = "DatabaseArrowUp",
            MaxOutputLineCount = Output.MaxOutputLineCount,
            Arguments = [.. options.Select(o => new InteractionInput { Name = o.Name, Label = o.Label, InputType = InputType.Number, Value = o.Default, Required = true })],
        };
        return service.WithProcessCommand("seed", "Load synthetic data", async context =>
        {
            List<string> arguments = [Tools.Dll(service.Resource), "seed"];
            foreach (var option in options)
            {
                arguments.Add($"--{option.Name}");
                arguments.Add(Number(context, option.Name, option.Default));
            }

            return new ProcessCommandSpec("dotnet")
            {
                Arguments = arguments,
                WorkingDirectory = Path.GetDirectoryName(arguments[0]),
                EnvironmentVariables = new Dictionary<string, string>
                {
                    ["ASPNETCORE_ENVIRONMENT"] = "Development",
                    ["Logging__LogLevel__Default"] = "Warning",
                    [$"ConnectionStrings__{database.Resource.Name}"] = (await database.Resource.GetConnectionStringAsync(context.CancellationToken))!,
                },
            };
        }, commandOptions);
    }

    /// <summary>
    /// CrisisCapacity seeds at start-up when <c>Crisis__SeedSynthetic=true</c> (idempotent: centres already there are
    /// skipped), so its command restarts it with the flag on, which then stays on for this run of the AppHost.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSeedOnRestartCommand(this IResourceBuilder<ProjectResource> service, string setting)
    {
        var requested = false;
        service.WithEnvironment(context =>
        {
            if (requested)
            {
                context.EnvironmentVariables[setting] = "true";
            }
        });
        return service.WithCommand("seed", "Load synthetic data", async context =>
        {
            requested = true;
            var commands = context.Services.GetRequiredService<ResourceCommandService>();
            var restarted = await commands.ExecuteCommandAsync(service.Resource, KnownResourceCommands.RestartCommand, context.CancellationToken);
            return restarted.Success
                ? CommandResults.Success($"Restarted with {setting}=true: the service loads its synthetic dataset once its schema is there (see its console).")
                : restarted;
        }, new CommandOptions
        {
            Description = $"Restarts the service with {setting}=true; it loads the synthetic dataset (idempotent).",
            IconName = "DatabaseArrowUp",
            ConfirmationMessage = "Restart the service to load its synthetic data?",
        });
    }

    /// <summary>
    /// Probation's synthetic data is live: the device simulator (bench/probation) sets up persons with bracelets through the
    /// gateway and reports their positions, rule breakers included, so alerts appear. Tokens: the development key.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithSimulatorCommand(
        this IResourceBuilder<ProjectResource> probation, IResourceBuilder<ProjectResource> gateway, PlatformIdentity identity)
    {
        if (identity.SigningKeyFile is not { } keyFile)
        {
            return probation; // with Keycloak, the simulator has no client of its own
        }

        var simulator = Tools.Dll(probation.ApplicationBuilder, "bench/probation/PublicSafety.Bench.Probation.csproj");
        return probation.WithProcessCommand("simulate", "Simulate bracelets", async context => new ProcessCommandSpec("dotnet")
        {
            Arguments = [simulator, "--target", await GatewayUrlAsync(gateway, context.CancellationToken),
                "--devices", Number(context, "devices", "20"), "--interval", "10", "--seconds", Number(context, "seconds", "120")],
            WorkingDirectory = Path.GetDirectoryName(simulator),
            EnvironmentVariables = new Dictionary<string, string> { ["PUBLICSAFETY_DEV_KEY"] = keyFile },
            KillEntireProcessTree = true,
        }, new ProcessCommandOptions
        {
            Description = "Sets up synthetic persons with bracelets and reports their positions through the gateway; rule breakers raise alerts.",
            IconName = "Location",
            MaxOutputLineCount = 60,
            Arguments =
            [
                new InteractionInput { Name = "devices", Label = "Persons with bracelets", InputType = InputType.Number, Value = "20", Required = true },
                new InteractionInput { Name = "seconds", Label = "Report for (seconds)", InputType = InputType.Number, Value = "120", Required = true },
            ],
        });
    }

    /// <summary>A whole number the operator typed (or the default), as the tool's argument.</summary>
    private static string Number(ExecuteCommandContext context, string name, string fallback) =>
        int.TryParse(context.Arguments.GetString(name), NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n.ToString(CultureInfo.InvariantCulture)
            : fallback;

    private static async Task<string> GatewayUrlAsync(IResourceBuilder<ProjectResource> gateway, CancellationToken ct) =>
        (await gateway.GetEndpoint("http").GetValueAsync(ct))!;
}
