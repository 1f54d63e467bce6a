using MassTransit;
using PublicSafety.Messaging.TestHost;
using PublicSafety.ServiceDefaults;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.ServiceDefaults.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddServiceDatabase(TestHostApi.DatabaseName, typeof(TestHostApi).Assembly);
builder.AddMessaging(builder.Configuration.GetValue("TestHost:Consume", true) ? x => x.AddConsumer<CameraWentOfflineConsumer>() : null);
builder.Services.AddSingleton<DeliveryCounter>();
builder.Services.AddSingleton<LoadGenerator>();
builder.Services.AddConsumeObserver<DeliveryCounter>(sp => sp.GetRequiredService<DeliveryCounter>());
builder.Services.AddSingleton(new HangingPublishes(builder.Configuration.GetValue("TestHost:HangingPublishes", 0)));
builder.Services.AddPublishObserver<HangingPublishes>(sp => sp.GetRequiredService<HangingPublishes>());

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTestHostApi();
app.Run();
