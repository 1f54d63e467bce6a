using PublicSafety.Gateway.Extensions;
using PublicSafety.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddGateway();

var app = builder.Build();
app.UseGatewayEdge();
app.MapDefaultEndpoints();
app.UseGatewayLimits();
app.MapGatewayApi();
app.MapGatewayProxy();
app.Run();
