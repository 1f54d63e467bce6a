using Yarp.ReverseProxy.Configuration;

// A bare YARP proxy: every path to the one destination in services__feedback__http__0, nothing else but a readiness
// answer for the bench to wait on. Not a product: bench/gateway-overhead's yardstick for the gateway's CPU per request.
var builder = WebApplication.CreateBuilder(args);
var destination = builder.Configuration["services:feedback:http:0"]
    ?? throw new InvalidOperationException("services__feedback__http__0 is not set.");
builder.Services.AddReverseProxy().LoadFromMemory(
    [new RouteConfig { RouteId = "all", ClusterId = "feedback", Match = new RouteMatch { Path = "/{**rest}" } }],
    [new ClusterConfig { ClusterId = "feedback", Destinations = new Dictionary<string, DestinationConfig> { ["feedback"] = new() { Address = destination } } }]);

var app = builder.Build();
app.MapGet("/health/ready", () => "Healthy");
app.MapReverseProxy();
app.Run();
