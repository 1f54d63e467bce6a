using System.Collections.Concurrent;
using System.Diagnostics;
using PublicSafety.Security.Tests.Fuzz;
using PublicSafety.Testing;
using Xunit.Abstractions;

namespace PublicSafety.Security.Tests;

/// <summary>
/// Malformed input to every operation of every OpenAPI document and every gRPC method, from the national caller holding
/// every role of the service (so that requests reach the handlers): bad input is the caller's mistake, never a 5xx, an
/// UNKNOWN or an INTERNAL beyond the gRPC protocol's own framing errors.
/// </summary>
[Collection(FuzzCollection.Name)]
public sealed class FuzzTests(FuzzPlatform platform, ITestOutputHelper output)
{
    [Fact]
    public async Task MalformedInputToEveryOperationIsNeverAServerError()
    {
        var (operations, _) = await Operations.ReadAsync(platform);
        var table = CaseTable.All();
        var seed = await Seed.CreateAsync(platform);
        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<string, int>();
        var unreached = new ConcurrentBag<string>();
        var perService = new ConcurrentBag<string>();
        var counts = new ConcurrentDictionary<string, int>();
        var sent = 0;
        var watch = Stopwatch.StartNew();

        async Task<string> RunAsync(Service service, Operation operation, Probe probe)
        {
            Interlocked.Increment(ref sent);
            counts.AddOrUpdate(service.Name, 1, (_, n) => n + 1);
            var (status, failure) = await FailureAsync(service, probe);
            statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
            if (failure is not null)
            {
                failures.Add($"{operation.Service}: {operation.Key} — {probe.Label}: {failure}");
            }

            return status;
        }

        // The services in parallel, each one's probes in order: no two probes race on one record.
        await Task.WhenAll(operations.GroupBy(o => o.Service).Select(async group =>
        {
            var service = platform[group.Key];
            var started = Stopwatch.StartNew();
            // Reads first, deletes and the hand-over of a person (PATCH) last: one operation's probes take as little as possible
            // from the next one's records.
            foreach (var operation in group.OrderBy(o => Array.IndexOf(Methods, o.Key.Split(' ')[0])))
            {
                var (example, probes) = ProbesOf(operation, table, seed);
                // The unchanged example first: whether the probes start from a call that reaches the handler's logic.
                var status = await RunAsync(service, operation, new Probe("the valid example", example));
                if (status is not ("200" or "201" or "204" or "grpc-0") && !(status == "grpc-4" && example is GrpcCall { Streaming: true }))
                {
                    unreached.Add($"{operation.Service}: {operation.Key} example answered {status}");
                }

                foreach (var probe in probes)
                {
                    await RunAsync(service, operation, probe);
                }
            }

            // What the writes accepted must not break a read: every read again, over the data the probes left.
            foreach (var operation in group.Where(o => o.IsGrpc || o.Key.StartsWith("GET ", StringComparison.Ordinal)))
            {
                await RunAsync(service, operation, new Probe("the valid example, after the fuzzed writes", ProbesOf(operation, table, seed).Example));
            }

            if (service.Process.HasExited)
            {
                failures.Add($"{service.Name}: the process exited during the run");
            }

            perService.Add($"  {service.Name}: {counts.GetValueOrDefault(service.Name)} requests in {started.Elapsed.TotalSeconds:0} s");
        }));

        var sorted = failures.Order(StringComparer.Ordinal).ToArray();
        var report = new[]
        {
            $"Fuzz: {sent} requests to {operations.Count} operations ({operations.Count(o => o.IsGrpc)} gRPC) in {watch.Elapsed.TotalSeconds:0} s;"
            + $" server errors (5xx, gRPC UNKNOWN/INTERNAL): {sorted.Length}.",
            string.Join('\n', perService.Order(StringComparer.Ordinal)),
            "Answers: " + string.Join(", ", statuses.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} x{s.Value}")),
            $"Examples that are not a success themselves (their probes still run): {unreached.Count}",
        }.Concat(unreached.Order(StringComparer.Ordinal).Select(u => "  " + u)).Concat(sorted.Select(f => "FAIL " + f));
        var text = string.Join('\n', report);
        output.WriteLine(text);
        await File.WriteAllTextAsync(Path.Combine(TestEnvironment.ResultsDirectory, "security-fuzz.txt"), text + "\n");
        Assert.True(sorted.Length == 0, $"{sorted.Length} malformed inputs made server errors:\n" + string.Join('\n', sorted.Take(300)));
    }

    private static readonly string[] Methods = ["gRPC", "GET", "POST", "PUT", "DELETE", "PATCH"];

    /// <summary>From the table's valid example of the operation (real records to aim at), or for an operation it lacks, the schema's.</summary>
    private static (Call Example, IEnumerable<Probe> Probes) ProbesOf(Operation operation, CaseTable table, Seed seed)
    {
        if (operation.Grpc is { } method)
        {
            var grpc = table.ContainsKey(operation.Key)
                ? (GrpcCall)table.ExampleOf(operation.Key, seed)
                : new GrpcCall($"/{method.Service.FullName}/{method.Name}", (Google.Protobuf.IMessage)Activator.CreateInstance(method.InputType.ClrType)!,
                    method.OutputType, method.IsServerStreaming);
            return (grpc, GrpcProbes.For(grpc));
        }

        var http = table.ContainsKey(operation.Key) ? (HttpCall)table.ExampleOf(operation.Key, seed) : Unlisted(operation);
        return (http, RestProbes.For(operation, http));
    }

    /// <summary>A call to an operation the table doesn't know yet: placeholder path values, a body from its schema.</summary>
    private static HttpCall Unlisted(Operation operation)
    {
        var parts = operation.Key.Split(' ', 2);
        var path = System.Text.RegularExpressions.Regex.Replace(parts[1], @"\{(\w+)\}", m =>
            operation.Parameters.FirstOrDefault(p => p["name"]?.GetValue<string>() == m.Groups[1].Value)?["schema"]?["format"]?.GetValue<string>() switch
            {
                "uuid" => Guid.Empty.ToString(),
                "int32" => "2026",
                _ => "KZ-75",
            });
        return new HttpCall(new HttpMethod(parts[0]), path, operation.BodySchema is { } schema ? Schemas.Example(schema) : null);
    }

    /// <summary>The answer's status for the tally, and what is wrong with it, if anything.</summary>
    private static async Task<(string Status, string? Failure)> FailureAsync(Service service, Probe probe)
    {
        Reply reply;
        try
        {
            reply = await Send.Async(service, probe.Call, Caller.National);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return ("no answer", $"no answer ({ex.GetType().Name}: {ex.Message})");
        }

        if (probe.Call is GrpcCall grpc)
        {
            return ($"grpc-{reply.GrpcStatus?.ToString() ?? "none"}", reply.GrpcStatus switch
            {
                null => $"no grpc-status (HTTP {reply.Status})",
                2 when probe.Unreadable && reply.GrpcMessage == GrpcProbes.UnreadableRequest => null,
                2 or 15 => reply.Summary,
                13 when !GrpcProbes.ProtocolErrors.Contains(reply.GrpcMessage ?? "") => reply.Summary,
                4 when !grpc.Streaming => reply.Summary,
                _ => null,
            });
        }

        return (reply.Status.ToString(), reply.Status >= 500 ? $"{reply.Status}: {(reply.Body.Length > 200 ? reply.Body[..200] + "…" : reply.Body)}" : null);
    }
}
