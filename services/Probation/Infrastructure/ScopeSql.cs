using Npgsql;
using NpgsqlTypes;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.Probation.Infrastructure;

/// <summary>
/// The caller's region scope in a query: every list, replay and ingestion statement filters with <see cref="Covers"/>
/// and binds <see cref="Parameter"/>, so a record outside the scope is never read, as if it did not exist.
/// </summary>
internal static class ScopeSql
{
    /// <summary>True for a row whose <paramref name="column"/> is inside the scope bound as <c>@scope</c> (null: national).</summary>
    public static string Covers(string column) => $"(@scope::text IS NULL OR {column} = @scope)";

    public static NpgsqlParameter Parameter(RegionScope scope) => new NpgsqlParameter<string?>("scope", scope.Region) { NpgsqlDbType = NpgsqlDbType.Text };
}
