using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace PublicSafety.AppHost.Operations;

/// <summary>
/// The broker's daily questions (docs/operations.md, "Error queues"): which error queues hold messages, what failed and
/// why, and putting messages back once the cause is fixed. Listing and requeueing run tools/ErrorQueue against the
/// broker's connection string; the overview asks the management API.
/// </summary>
internal static class MessagingCommands
{
    public static IResourceBuilder<IResourceWithConnectionString> WithErrorQueueCommands(this IResourceBuilder<IResourceWithConnectionString> broker)
    {
        var tool = Tools.Dll(broker.ApplicationBuilder, "tools/ErrorQueue/PublicSafety.ErrorQueue.csproj");
        var queue = new InteractionInput { Name = "queue", Label = "Error queue", Placeholder = "feedback-placement-ended_error", InputType = InputType.Text, Required = true };

        broker.WithCommand("error-queues", "Error queues", context => OverviewAsync(broker.Resource, context.CancellationToken), new CommandOptions
        {
            Description = "Every *_error queue with its message count: messages that failed all their retries.",
            IconName = "MailWarning",
            IsHighlighted = true,
        });
        broker.WithProcessCommand("error-list", "List an error queue", async context => new ProcessCommandSpec("dotnet")
        {
            Arguments = [tool, "list", context.Arguments.GetString("queue")!, "--broker", (await broker.Resource.GetConnectionStringAsync(context.CancellationToken))!],
        }, new ProcessCommandOptions
        {
            Description = "Message id, type, time and the exception of each failed message (they stay in the queue).",
            IconName = "MailList",
            MaxOutputLineCount = 200,
            Arguments = [queue],
        });
        broker.WithProcessCommand("error-requeue", "Requeue from an error queue", async context =>
        {
            var id = context.Arguments.GetString("id");
            string[] which = string.IsNullOrWhiteSpace(id) ? ["--all"] : ["--id", id.Trim()];
            return new ProcessCommandSpec("dotnet")
            {
                Arguments = [tool, "requeue", context.Arguments.GetString("queue")!, .. which,
                    "--broker", (await broker.Resource.GetConnectionStringAsync(context.CancellationToken))!],
            };
        }, new ProcessCommandOptions
        {
            Description = "Moves failed messages back to the queue whose consumer failed, once the cause is fixed: one message by id, or all.",
            IconName = "MailArrowUp",
            ConfirmationMessage = "Move the messages back to their input queue?",
            MaxOutputLineCount = 200,
            Arguments =
            [
                queue,
                new InteractionInput { Name = "id", Label = "Message id (empty: all)", InputType = InputType.Text, Required = false },
            ],
        });
        return broker;
    }

    private static async Task<ExecuteCommandResult> OverviewAsync(IResourceWithConnectionString broker, CancellationToken ct)
    {
        var amqp = new Uri((await broker.GetConnectionStringAsync(ct))!);
        var management = await ((IResourceWithEndpoints)broker).GetEndpoint("management").GetValueAsync(ct);
        using var http = new HttpClient { BaseAddress = new Uri(management!), Timeout = TimeSpan.FromSeconds(15) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(amqp.UserInfo))));
        using var queues = JsonDocument.Parse(await http.GetStringAsync("/api/queues?columns=name,messages", ct));
        var errors = queues.RootElement.EnumerateArray()
            .Select(q => (Name: q.GetProperty("name").GetString()!, Messages: q.TryGetProperty("messages", out var m) && m.ValueKind == JsonValueKind.Number ? m.GetInt64() : 0))
            .Where(q => q.Name.EndsWith("_error", StringComparison.Ordinal))
            .OrderByDescending(q => q.Messages).ThenBy(q => q.Name)
            .ToArray();
        var text = errors.Length == 0
            ? "No error queues: nothing has failed all its retries."
            : string.Join('\n', errors.Select(q => $"{q.Messages,8}  {q.Name}"));
        var failed = errors.Sum(q => q.Messages);
        return CommandResults.Success($"{failed} failed message(s) in {errors.Length} error queue(s)", new CommandResultData { Value = text, Format = CommandResultFormat.Text, DisplayImmediately = true });
    }
}
