using PublicSafety.RoadSafety.Extensions;
using PublicSafety.ServiceDefaults;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddApplicationServices();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapRoadSafetyApi();
app.Run();
