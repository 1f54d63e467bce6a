using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using PublicSafety.Testing;

namespace PublicSafety.AppHost.Tests;

/// <summary>
/// The whole system from the real AppHost, started once for the collection: host-process PostgreSQL and RabbitMQ on ports
/// and a data directory of this run's own (never the developer's data, never the test servers of ./build.sh test), the
/// services trusting this run's <see cref="TestTokens"/> key. Every resource's console output goes to
/// <c>.local/test-logs/apphost-&lt;time&gt;/&lt;resource&gt;.log</c>.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    // Nothing is built here (./build.sh test builds first), but a cluster is initialised, a broker boots for the first
    // time and six projects start while other test assemblies run on the same two cores.
    private static readonly TimeSpan StartupTimeout = TimeSpan.FromMinutes(15);

    private readonly string _dataDirectory = $"/var/tmp/publicsafety-apphost-test-{Guid.NewGuid():N}";

    public DistributedApplication App { get; private set; } = null!;

    public IReadOnlyList<IResource> Resources { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _ = TestTokens.Shared; // creates the run's key file before the services read it
        string[] args =
        [
            "--PublicSafety:Infrastructure=" + (Environment.GetEnvironmentVariable("PUBLICSAFETY_APPHOST_TEST_INFRASTRUCTURE") ?? "HostProcesses"),
            $"--PublicSafety:DataDirectory={_dataDirectory}",
            $"--PublicSafety:SigningKeyFile={TestTokens.KeyFile}",
            $"--PublicSafety:LogDirectory={Path.Combine(TestEnvironment.ResultsDirectory, $"apphost-{DateTime.UtcNow:yyyyMMdd-HHmmss}")}",
            $"--PublicSafety:PostgresPort={FreePort.Next()}",
            $"--PublicSafety:RabbitMqPort={FreePort.Next()}",
            $"--PublicSafety:RabbitMqManagementPort={FreePort.Next()}",
            $"--PublicSafety:RabbitMqDistributionPort={FreePort.Next()}",
            $"--PublicSafety:EpmdPort={FreePort.Next()}",
        ];
        using var timeout = new CancellationTokenSource(StartupTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.PublicSafety_AppHost>(
            args, (options, _) => options.DisableDashboard = true, timeout.Token);

        // The first gRPC call from Probation to Cameras opens the connection while the machine is busy: give it time, so
        // that the test checks that cameras are attached, not how fast a cold call is (AlertTests in Probation.Tests do).
        var probation = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "probation");
        builder.CreateResourceBuilder(probation).WithEnvironment("Probation__Alerts__CameraDeadline", "00:00:30");

        App = await builder.BuildAsync(timeout.Token);
        await App.StartAsync(timeout.Token);
        // What the dashboard shows: not the AppHost's hidden helpers (the projects' rebuilders).
        Resources = App.Services.GetRequiredService<DistributedApplicationModel>().Resources
            .Where(r => r is not ParameterResource &&
                        !(App.ResourceNotifications.TryGetCurrentState(r.Name, out var state) && state.Snapshot.IsHidden))
            .ToArray();
        foreach (var resource in Resources)
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource.Name, timeout.Token);
        }
    }

    /// <summary>A client of the gateway, with a bearer token when one is given.</summary>
    public HttpClient Gateway(string? token = null)
    {
        var client = App.CreateHttpClient("gateway");
        client.Timeout = TimeSpan.FromSeconds(60);
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public async Task DisposeAsync()
    {
        try
        {
            if (App is not null)
            {
                await App.StopAsync();
                await App.DisposeAsync();
            }
        }
        finally
        {
            DeleteData();
        }
    }

    /// <summary>The run's cluster and broker data; the servers may take a moment to let go of it.</summary>
    private void DeleteData()
    {
        for (var attempt = 0; attempt < 10 && Directory.Exists(_dataDirectory); attempt++)
        {
            try
            {
                Directory.Delete(_dataDirectory, recursive: true);
            }
            catch (IOException)
            {
                Thread.Sleep(1000);
            }
            catch (UnauthorizedAccessException)
            {
                return; // not root: the servers' files are theirs; /var/tmp is cleaned by the system
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "Platform";
}
