using System.Collections.Concurrent;
using System.Text.Json;

namespace PublicSafety.ServiceDefaults.Messaging.Outbox;

/// <summary>How an event's type and body are stored in an outbox row and read back for publishing.</summary>
internal static class OutboxMessageTypes
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly ConcurrentDictionary<string, Type?> Resolved = new();

    private static readonly ConcurrentDictionary<Type, string> Names = new();

    /// <summary>"Namespace.Type, Assembly": without a version, so rows written before an upgrade still resolve.</summary>
    public static string NameOf(Type type) => Names.GetOrAdd(type, t => $"{t.FullName}, {t.Assembly.GetName().Name}");

    public static Type Resolve(string name) =>
        Resolved.GetOrAdd(name, n => Type.GetType(n, throwOnError: false))
        ?? throw new InvalidOperationException($"Outbox message type '{name}' is not known to this process.");
}
