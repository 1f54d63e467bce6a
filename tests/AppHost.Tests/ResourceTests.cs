using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PublicSafety.AppHost.Tests;

[Collection(PlatformCollection.Name)]
public sealed class ResourceTests(PlatformFixture platform)
{
    [Fact]
    public void EveryResourceOfTheSystemIsRunningAndHealthy()
    {
        string[] expected =
        [
            "postgres", "feedbackdb", "crisisdb", "camerasdb", "roadsafetydb", "probationdb", "messaging", "messaging-epmd",
            "feedback", "crisis-capacity", "cameras", "road-safety", "probation", "gateway",
        ];
        Assert.Equal(expected.Order(), platform.Resources.Select(r => r.Name).Order());

        var notHealthy = new List<string>();
        foreach (var resource in platform.Resources)
        {
            Assert.True(platform.App.ResourceNotifications.TryGetCurrentState(resource.Name, out var current), resource.Name);
            var snapshot = current.Snapshot;
            if (snapshot.State?.Text != KnownResourceStates.Running || snapshot.HealthStatus != HealthStatus.Healthy)
            {
                notHealthy.Add($"{resource.Name}: {snapshot.State?.Text} / {snapshot.HealthStatus}");
            }
        }

        Assert.Empty(notHealthy);
    }

    [Fact]
    public async Task EveryServiceGetsItsDatabaseAndTheBrokerUnderTheNamesAspireInjects()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var feedbackDb = await platform.App.GetConnectionStringAsync("feedbackdb", timeout.Token);
        var messaging = await platform.App.GetConnectionStringAsync("messaging", timeout.Token);

        Assert.Contains("Database=feedbackdb", feedbackDb);
        Assert.Contains("Username=publicsafety", feedbackDb);
        Assert.StartsWith("amqp://publicsafety:", messaging);
    }
}
