using System.Diagnostics;
using MassTransit;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using PublicSafety.Contracts.Cameras;
using PublicSafety.ServiceDefaults.Messaging;
using PublicSafety.ServiceDefaults.Messaging.Outbox;

namespace PublicSafety.Messaging.TestHost;

public static class TestHostApi
{
    public const string DatabaseName = "testdb";

    public static void MapTestHostApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/test").AllowAnonymous();
        api.MapPost("/cameras/{cameraId:guid}/offline", MarkOffline);
        api.MapPost("/load", StartLoad);
        api.MapGet("/load", (LoadGenerator load) => TypedResults.Ok(load.Status));
        api.MapGet("/load/commits", (LoadGenerator load) => TypedResults.Ok(load.Commits));
        api.MapPost("/cameras/{cameraId:guid}/duplicates", PublishDuplicates);
        api.MapGet("/deliveries/{messageId:guid}", (Guid messageId, DeliveryCounter counter) => TypedResults.Ok(counter.Of(messageId)));
        api.MapGet("/messaging", (MessagingMetrics metrics) =>
            TypedResults.Ok(new MessagingSnapshot(metrics.Backlog, metrics.OldestUnsentAge(), metrics.ErrorQueueDepth.ToDictionary())));
    }

    private static async Task<Ok<Written>> MarkOffline(Guid cameraId, NpgsqlDataSource db, IOutbox outbox, CancellationToken ct, string region = "KZ-75")
    {
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var evt = await CameraStatus.MarkOfflineAsync(transaction, outbox, cameraId, region, ct);
        await transaction.CommitAsync(ct);
        return TypedResults.Ok(new Written(evt.MessageId, Activity.Current?.TraceId.ToHexString()));
    }

    private static Accepted<LoadStatus> StartLoad(LoadRequest request, LoadGenerator load) =>
        TypedResults.Accepted("/test/load", load.Start(request));

    /// <summary>A misbehaving publisher: the same event sent several times at once, bypassing the outbox.</summary>
    private static async Task<Ok<Written>> PublishDuplicates(Guid cameraId, IBus bus, CancellationToken ct, int copies = 2)
    {
        var evt = new CameraWentOffline(cameraId, "KZ-75", DateTimeOffset.UtcNow);
        await Task.WhenAll(Enumerable.Range(0, copies).Select(_ => bus.Publish(evt, c => c.MessageId = evt.MessageId, ct)));
        return TypedResults.Ok(new Written(evt.MessageId, null));
    }

    public sealed record Written(Guid MessageId, string? TraceId);

    public sealed record MessagingSnapshot(long Backlog, double OldestUnsentAgeSeconds, Dictionary<string, long> ErrorQueues);
}
