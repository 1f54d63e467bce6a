using Microsoft.Extensions.DependencyInjection;

namespace PublicSafety.AppHost.Tests;

/// <summary>The operators' commands that only read answer on the running system (the dashboard calls them the same way).</summary>
[Collection(PlatformCollection.Name)]
public sealed class CommandTests(PlatformFixture platform)
{
    [Theory]
    [InlineData("feedbackdb", "outbox")]
    [InlineData("messaging", "error-queues")]
    [InlineData("gateway", "destinations")]
    public async Task AReadOnlyCommandSucceeds(string resource, string command)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var commands = platform.App.Services.GetRequiredService<ResourceCommandService>();
        var target = platform.Resources.Single(r => r.Name == resource);

        var result = await commands.ExecuteCommandAsync(target, command, timeout.Token);

        Assert.True(result.Success, $"{resource} {command}: {result.Message}");
    }
}
