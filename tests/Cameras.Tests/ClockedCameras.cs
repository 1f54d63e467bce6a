using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PublicSafety.Cameras.Extensions;
using PublicSafety.ServiceDefaults.Data;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>
/// The service's own DI on a controlled clock against a fresh database, never started (no sweeper, no dispatcher): tests drive
/// the stores and the detector themselves.
/// </summary>
public sealed class ClockedCameras(DateTimeOffset start, TimeSpan offlineAfter) : IAsyncLifetime
{
    private TestDatabase _database = null!;
    private WebApplication _app = null!;

    public ManualClock Clock { get; } = new(start);

    public IServiceProvider Services => _app.Services;

    public T Get<T>() where T : notnull => _app.Services.GetRequiredService<T>();

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync("cameras", postgis: true);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration["ConnectionStrings:camerasdb"] = _database.ConnectionString;
        builder.Configuration["ConnectionStrings:messaging"] = TestEnvironment.RabbitUri.ToString();
        builder.Configuration["Cameras:StreamKey"] = Convert.ToBase64String(new byte[32]);
        builder.Configuration["Cameras:Health:OfflineAfter"] = offlineAfter.ToString();
        builder.Services.AddSingleton<TimeProvider>(Clock);
        builder.AddApplicationServices();
        _app = builder.Build();
        var runner = new MigrationRunner(_app.Services.GetRequiredService<NpgsqlDataSource>(), NullLogger<MigrationRunner>.Instance);
        await runner.ApplyAsync([.. MigrationScript.Platform, .. MigrationScript.FromAssembly(typeof(Extensions.Extensions).Assembly)], default);
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }

    public sealed class ManualClock(DateTimeOffset start) : TimeProvider
    {
        private DateTimeOffset _now = start;

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }
}
