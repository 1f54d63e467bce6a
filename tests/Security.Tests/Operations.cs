using System.Reflection;
using System.Text.Json.Nodes;
using Google.Protobuf.Reflection;
using PublicSafety.Contracts.Crisis.V1;

namespace PublicSafety.Security.Tests;

/// <summary>An operation a service offers: a REST operation of its OpenAPI document, or a gRPC method it serves.</summary>
public sealed record Operation(string Service, string Key, JsonObject? OpenApi = null, MethodDescriptor? Grpc = null)
{
    public bool IsGrpc => Grpc is not null;

    /// <summary>The request body's schema (JSON), resolved against the document's components; null without one.</summary>
    public JsonNode? BodySchema => OpenApi?["requestBody"]?["content"]?["application/json"]?["schema"];

    public IEnumerable<JsonObject> Parameters => OpenApi?["parameters"]?.AsArray().Select(p => p!.AsObject()) ?? [];
}

/// <summary>Every operation of every service, read from what the services themselves publish.</summary>
public static class Operations
{
    private static readonly string[] Everywhere = ["CrisisCapacity", "Probation", "Feedback", "RoadSafety", "Cameras"];

    /// <summary>
    /// Where each gRPC service of the contracts is served. A service of a new .proto that is not here fails the
    /// enumeration test: it must be placed (and get its cases) before it can ship.
    /// </summary>
    private static readonly Dictionary<string, string[]> GrpcHosts = new()
    {
        ["publicsafety.crisis.v1.BedAvailability"] = ["CrisisCapacity"],
        ["publicsafety.cameras.v1.CameraDirectory"] = ["Cameras"],
        ["grpc.health.v1.Health"] = Everywhere,
        ["grpc.reflection.v1.ServerReflection"] = Everywhere,
        ["grpc.reflection.v1alpha.ServerReflection"] = Everywhere,
    };


    public static async Task<(IReadOnlyList<Operation> Operations, IReadOnlyList<string> Unplaced)> ReadAsync(Platform platform)
    {
        var operations = new List<Operation>();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        foreach (var service in platform.Services.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            var document = JsonNode.Parse(await http.GetStringAsync(new Uri(service.Process.BaseAddress, "/openapi/v1.json")))!.AsObject();
            foreach (var (path, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, spec) in item!.AsObject())
                {
                    operations.Add(new Operation(service.Name, $"{method.ToUpperInvariant()} {path}", Resolve(spec!, document)!.AsObject()));
                }
            }
        }

        var unplaced = new List<string>();
        foreach (var grpcService in ContractServices())
        {
            if (!GrpcHosts.TryGetValue(grpcService.FullName, out var hosts))
            {
                unplaced.Add(grpcService.FullName);
                continue;
            }

            foreach (var host in hosts)
            {
                operations.AddRange(grpcService.Methods.Select(m => new Operation(host, GrpcKey(m), Grpc: m)));
            }
        }

        return (operations, unplaced);
    }

    public static string GrpcKey(MethodDescriptor method) => $"gRPC {method.Service.FullName}/{method.Name}";

    /// <summary>
    /// Every gRPC service of every .proto compiled into the contracts assembly, and the standard ones ServiceDefaults serves
    /// in every service (grpc.health.v1 and server reflection, from grpc-dotnet's packages).
    /// </summary>
    public static IEnumerable<ServiceDescriptor> ContractServices() =>
        typeof(BedAvailabilityReflection).Assembly.GetTypes()
            .Select(t => t.GetProperty("Descriptor", BindingFlags.Public | BindingFlags.Static))
            .Where(p => p?.PropertyType == typeof(FileDescriptor))
            .SelectMany(p => ((FileDescriptor)p!.GetValue(null)!).Services)
            .Concat([Grpc.Health.V1.Health.Descriptor, Grpc.Reflection.V1.ServerReflection.Descriptor, Grpc.Reflection.V1Alpha.ServerReflection.Descriptor])
            .OrderBy(s => s.FullName, StringComparer.Ordinal);

    /// <summary>A copy of <paramref name="node"/> with every <c>$ref</c> replaced by its target; the depth stops a schema that contains itself.</summary>
    private static JsonNode? Resolve(JsonNode? node, JsonObject document, int depth = 0)
    {
        switch (node)
        {
            case JsonObject o when o["$ref"]?.GetValue<string>() is { } reference && depth < 16:
                var target = document["components"]!["schemas"]![reference.Split('/')[^1]];
                return Resolve(target, document, depth + 1);
            case JsonObject o:
                var copy = new JsonObject();
                foreach (var (key, value) in o)
                {
                    copy[key] = Resolve(value, document, depth);
                }

                return copy;
            case JsonArray a:
                return new JsonArray(a.Select(v => Resolve(v, document, depth)).ToArray());
            default:
                return node?.DeepClone();
        }
    }
}
