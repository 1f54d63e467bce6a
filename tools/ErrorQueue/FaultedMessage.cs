using System.Text;
using System.Text.Json;
using RabbitMQ.Client;

namespace PublicSafety.ErrorQueue;

/// <summary>A message MassTransit moved to an <c>_error</c> queue, with the fault headers it added.</summary>
public sealed record FaultedMessage(string? MessageId, string? MessageType, string? ExceptionType, string? Reason, string? FaultedAt, string InputQueue)
{
    /// <summary>Headers MassTransit adds when it moves a message to the error queue (plus broker/client bookkeeping).</summary>
    public static bool IsFaultHeader(string name) =>
        name.StartsWith("MT-Fault-", StringComparison.Ordinal) || name.StartsWith("MT-Host-", StringComparison.Ordinal)
        || name is "MT-Reason" or "x-delivery-count" or "x-dotnet-pub-seq-no" or "x-first-death-exchange" or "x-death";

    public static FaultedMessage From(string errorQueue, IReadOnlyBasicProperties properties, ReadOnlyMemory<byte> body)
    {
        var headers = properties.Headers ?? new Dictionary<string, object?>();
        var input = Header(headers, "MT-Fault-InputAddress") is { } address
            ? new Uri(address).AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries).Last()
            : errorQueue.EndsWith("_error", StringComparison.Ordinal) ? errorQueue[..^"_error".Length] : errorQueue;
        return new FaultedMessage(
            properties.MessageId ?? EnvelopeMessageId(body),
            Header(headers, "MT-Fault-MessageType"),
            Header(headers, "MT-Fault-ExceptionType"),
            Header(headers, "MT-Fault-Message"),
            Header(headers, "MT-Fault-Timestamp"),
            input);
    }

    private static string? Header(IDictionary<string, object?> headers, string name) =>
        headers.TryGetValue(name, out var value) ? value switch
        {
            byte[] bytes => Encoding.UTF8.GetString(bytes),
            null => null,
            _ => value.ToString(),
        } : null;

    private static string? EnvelopeMessageId(ReadOnlyMemory<byte> body)
    {
        try
        {
            using var envelope = JsonDocument.Parse(body);
            return envelope.RootElement.TryGetProperty("messageId", out var id) ? id.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
