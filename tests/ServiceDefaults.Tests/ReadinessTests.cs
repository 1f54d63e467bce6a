using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;
using PublicSafety.Testing;

namespace PublicSafety.ServiceDefaults.Tests;

public class ReadinessTests
{
    [Fact]
    public async Task ReadinessFollowsTheDatabaseDownAndBackWithoutARestart()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await postgres.CreateDatabaseAsync("feedbackdb");
        await using var service = await ServiceProcess.StartReadyAsync("Feedback",
            ServiceProcess.EnvironmentFor("Feedback", postgres.ConnectionString("feedbackdb")));
        using var client = service.CreateClient();
        using var analyst = service.CreateClient(TestTokens.For("feedback.read"));
        var pid = service.ProcessId;

        await postgres.StopServerAsync();
        Assert.True(await Eventually.HoldsAsync(async () => await Status(client, "/health/ready") == HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30)),
            "readiness did not turn unhealthy after PostgreSQL stopped");
        Assert.Equal(HttpStatusCode.OK, await Status(client, "/health/live"));

        // A request that needs the database meanwhile is told to retry, not handed a 500.
        using (var response = await analyst.GetAsync($"/api/feedback/venues/{Guid.NewGuid()}"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.NotNull(response.Headers.RetryAfter);
            var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>();
            Assert.Equal(503, problem!.Status);
            Assert.DoesNotContain("Npgsql", problem.Detail ?? "");
        }

        await postgres.StartServerAsync();
        Assert.True(await Eventually.HoldsAsync(async () => await Status(client, "/health/ready") == HttpStatusCode.OK, TimeSpan.FromSeconds(30)),
            "readiness did not recover after PostgreSQL came back");
        Assert.Equal(pid, service.ProcessId);
        Assert.False(service.HasExited);
    }

    [Fact]
    public async Task AServiceStartedBeforeItsDatabaseBecomesReadyWhenTheDatabaseArrives()
    {
        await using var postgres = await PrivatePostgres.StartAsync();
        await postgres.CreateDatabaseAsync("camerasdb");
        await postgres.StopServerAsync();
        await using var service = ServiceProcess.Start("Cameras", ServiceProcess.EnvironmentFor("Cameras", postgres.ConnectionString("camerasdb")));
        await service.WaitForHealthAsync("/health/live", TimeSpan.FromSeconds(60));
        using var client = service.CreateClient();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await Status(client, "/health/ready"));

        await postgres.StartServerAsync();

        await service.WaitForHealthAsync("/health/ready", TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task ProbesAnswerOnlyTheStatusToAnonymousCallers()
    {
        var (service, database) = await ServiceProcess.StartWithDatabaseAsync("Feedback");
        await using var _ = database;
        await using var __ = service;
        using var client = service.CreateClient();

        using var response = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    private static async Task<HttpStatusCode> Status(HttpClient client, string path)
    {
        try
        {
            using var response = await client.GetAsync(path);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return 0;
        }
    }
}
