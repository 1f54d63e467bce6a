using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using PublicSafety.Bench;
using PublicSafety.Bench.Grpc;
using PublicSafety.Contracts.Cameras.V1;
using PublicSafety.DevToken;
using PublicSafety.ServiceDefaults.Auth;
using PublicSafety.ServiceDefaults.Grpc.Server;

// gRPC vs REST/JSON on loopback for the same method and payload: FindCamerasNear answering 20 cameras, both with a bearer
// token validated by the platform's JWT scheme and the cameras.read policy. Bounded: a fixed time per phase, then it exits.
// Usage: dotnet run -c Release --project bench/grpc [-- --rounds 8 --seconds 1 --concurrency 16]
var options = new BenchArgs(args);
var seconds = options.Int("--seconds", 1);
var rounds = options.Int("--rounds", 8);
var concurrency = options.Int("--concurrency", 16);
var keyFile = Path.Combine(Path.GetTempPath(), $"bench-grpc-key-{Environment.ProcessId}.pem");
var tokens = DevTokens.FromKeyFile(keyFile);
var token = tokens.Create(new TokenRequest { Roles = [Roles.CamerasRead], Client = "bench", Lifetime = TimeSpan.FromHours(1) });
var (restPort, grpcPort) = (BenchMachine.FreePort(), BenchMachine.FreePort());

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
builder.Logging.ClearProviders();
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["urls"] = $"http://127.0.0.1:{restPort}",
    ["Grpc:Url"] = $"http://127.0.0.1:{grpcPort}",
    ["Keycloak:Authority"] = DevTokens.DefaultIssuer,
    ["Keycloak:DevelopmentSigningKeyFile"] = keyFile,
});
builder.AddKeycloakAuthentication();
builder.Services.AddHealthChecks();
builder.AddGrpcServer();
var app = builder.Build();
app.UseAuthentication();
app.UseAuthorization();
app.MapGrpcService<BenchDirectory>().RequireAuthorization(Roles.CamerasRead);
app.MapPost("/api/cameras/near", (NearRequestDto request) => TypedResults.Ok(NearResponseDto.From(Workload.Find(request.ToProto()))))
    .RequireAuthorization(Roles.CamerasRead);
await app.StartAsync();

using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{grpcPort}", new GrpcChannelOptions
{
    HttpHandler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true },
});
var grpc = new CameraDirectory.CameraDirectoryClient(channel);
var grpcHeaders = new Metadata { { "authorization", $"Bearer {token}" } };
using var rest = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = new Uri($"http://127.0.0.1:{restPort}") };
rest.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

var request = new FindCamerasNearRequest { Latitude = 43.2567, Longitude = 76.9286, RadiusMeters = 2500, MaxResults = 20 };
var dto = NearRequestDto.From(request);
Func<Task> grpcCall = async () =>
{
    var response = await grpc.FindCamerasNearAsync(request, grpcHeaders, deadline: DateTime.UtcNow.AddSeconds(5));
    if (response.Cameras.Count != 20) throw new InvalidOperationException("unexpected gRPC answer");
};
Func<Task> restCall = async () =>
{
    using var response = await rest.PostAsJsonAsync("/api/cameras/near", dto);
    response.EnsureSuccessStatusCode();
    var body = await response.Content.ReadFromJsonAsync<NearResponseDto>();
    if (body?.Cameras.Count != 20) throw new InvalidOperationException("unexpected REST answer");
};

Console.WriteLine($"FindCamerasNear, 20 cameras per answer (gRPC {Workload.Find(request).CalculateSize()} B protobuf, REST JSON); " +
                  $"{Environment.ProcessorCount} cores, loopback, client and server in one process; {rounds} alternating rounds of {seconds} s each; load average {BenchMachine.LoadAverage()}.");
var results = new List<(string Name, int Concurrency, Result Result)>();
foreach (var c in new[] { 1, concurrency })
{
    var (grpcLoad, restLoad) = (new Load(c), new Load(c));
    await grpcLoad.RoundAsync(grpcCall, TimeSpan.FromSeconds(1), record: false);
    await restLoad.RoundAsync(restCall, TimeSpan.FromSeconds(1), record: false);
    for (var round = 0; round < rounds; round++)
    {
        await grpcLoad.RoundAsync(grpcCall, TimeSpan.FromSeconds(seconds));
        await restLoad.RoundAsync(restCall, TimeSpan.FromSeconds(seconds));
    }

    foreach (var (name, load) in new[] { ("gRPC", grpcLoad), ("REST/JSON", restLoad) })
    {
        var result = load.Result();
        results.Add((name, c, result));
        Console.WriteLine($"  {name,-10} concurrency {c,2}: {result.CallsPerSecond,9:N0} calls/s  p50 {result.P50Ms,6:N3} ms  p99 {result.P99Ms,6:N3} ms  ({result.Calls:N0} calls, {result.Errors} errors)");
        Console.WriteLine($"  {"",-10}                 {result.Stall}");
    }
}

Console.WriteLine();
var ok = true;
foreach (var c in new[] { 1, concurrency })
{
    var g = results.Single(r => r.Name == "gRPC" && r.Concurrency == c).Result;
    var r = results.Single(x => x.Name == "REST/JSON" && x.Concurrency == c).Result;
    var ratio = g.CallsPerSecond / r.CallsPerSecond;
    Console.WriteLine($"concurrency {c,2}: gRPC/REST throughput ratio {ratio:N2} (target >= 1.00: {(ratio >= 1 ? "met" : "NOT met")}); " +
                      $"gRPC p99 {g.P99Ms:N3} ms (target < 5 ms: {(g.P99Ms < 5 ? "met" : "NOT met")})");
    ok &= ratio >= 1 && g.P99Ms < 5 && g.Errors == 0;
}

Console.WriteLine($"Load average (1/5/15 min) at the end: {BenchMachine.LoadAverage()}; GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}" +
                  $"{(System.Runtime.GCSettings.LatencyMode == System.Runtime.GCLatencyMode.Batch ? ", not concurrent" : ", concurrent")}");
await app.StopAsync();
File.Delete(keyFile);
return ok ? 0 : 1;

/// <summary>The same answer as the REST endpoint, computed per call: the figures compare transports, not a database.</summary>
internal sealed class BenchDirectory : CameraDirectory.CameraDirectoryBase
{
    public override Task<FindCamerasNearResponse> FindCamerasNear(FindCamerasNearRequest request, ServerCallContext context) =>
        Task.FromResult(Workload.Find(request));
}
