using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>Outside Development there is no built-in key: the service must not start without <c>Cameras:StreamKey</c>.</summary>
public sealed class StreamKeyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64!")]
    public async Task ProductionRefusesToStartWithoutAValidStreamKey(string? key)
    {
        await using var database = await TestDatabase.CreateAsync("cameras", postgis: true);
        var environment = ServiceProcess.EnvironmentFor("Cameras", database.ConnectionString);
        environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        environment["Keycloak__Authority"] = "http://127.0.0.1:9/realms/public-safety";
        environment["Cameras__StreamKey"] = key;
        await using var service = ServiceProcess.Start("Cameras", environment);

        Assert.True(await service.ExitsWithinAsync(TimeSpan.FromSeconds(30)), service.RecentOutput());
        Assert.Contains("Cameras:StreamKey", service.RecentOutput());
    }
}
