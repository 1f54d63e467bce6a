using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PublicSafety.ErrorQueue;
using RabbitMQ.Client;

// errors list <queue> [--max N] [--json]
// errors requeue <queue> (--id <messageId> | --all) [--max N] [--json]
// The broker: --broker <amqp uri>, else $ConnectionStrings__messaging, else the local stack's.
const string usage = """
    usage: errors list <error-queue> [--max N] [--json]
           errors requeue <error-queue> (--id <message-id> | --all) [--max N] [--json]
           options: --broker amqp://user:pass@host:port/vhost (default: $ConnectionStrings__messaging or the local stack)
    <error-queue> is a receive endpoint's "_error" queue, e.g. feedback-placement-ended_error (the endpoint name also works).
    """;

if (args.Length < 2 || args[0] is not ("list" or "requeue"))
{
    Console.Error.WriteLine(usage);
    return 2;
}

var queue = args[1].EndsWith("_error", StringComparison.Ordinal) ? args[1] : args[1] + "_error";
var id = Option("--id");
var all = args.Contains("--all");
var json = args.Contains("--json");
var max = int.TryParse(Option("--max"), out var m) ? m : 10_000;
var broker = Option("--broker") ?? Environment.GetEnvironmentVariable("ConnectionStrings__messaging") ?? "amqp://publicsafety:publicsafety@127.0.0.1:55672/";
if (args[0] == "requeue" && (id is null) == !all)
{
    Console.Error.WriteLine("requeue needs exactly one of --id <message-id> or --all\n" + usage);
    return 2;
}

using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
// The services' way to the broker (Aspire.RabbitMQ.Client), without a host's logging on stdout (the output is the answer).
var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
builder.Configuration.AddInMemoryCollection([new("ConnectionStrings:messaging", broker)]);
builder.AddRabbitMQClient("messaging", settings =>
{
    settings.DisableHealthChecks = true;
    settings.DisableTracing = true;
    settings.MaxConnectRetryCount = 0;
}, factory =>
{
    factory.ClientProvidedName = "errors-tool";
    // A failure is the operator's to see; a silent reconnect in the middle of a requeue would only blur it.
    factory.AutomaticRecoveryEnabled = false;
});
using var host = builder.Build();
var client = new ErrorQueueClient(host.Services.GetRequiredService<IConnection>());
if (!await client.ExistsAsync(queue, timeout.Token))
{
    Console.Error.WriteLine($"{queue} does not exist: nothing has failed on that endpoint yet (or the name is wrong).");
    return args[0] == "list" ? 0 : 1;
}

var messages = args[0] == "list"
    ? await client.ListAsync(queue, max, timeout.Token)
    : await client.RequeueAsync(queue, id, max, timeout.Token);

if (json)
{
    foreach (var message in messages)
    {
        Console.WriteLine(JsonSerializer.Serialize(message, JsonSerializerOptions.Web));
    }
}
else if (args[0] == "list")
{
    Console.WriteLine($"{messages.Count} message(s) in {queue}");
    foreach (var message in messages)
    {
        Console.WriteLine($"{message.MessageId}  {message.MessageType}  {message.FaultedAt}  {message.ExceptionType}: {message.Reason}");
    }
}
else
{
    Console.WriteLine($"Moved {messages.Count} message(s) from {queue} back to {messages.FirstOrDefault()?.InputQueue ?? "their input queue"}");
    foreach (var message in messages)
    {
        Console.WriteLine($"{message.MessageId}  {message.MessageType}");
    }
}

return id is not null && messages.Count == 0 ? 1 : 0;

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
