using Npgsql;
using NpgsqlTypes;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>What a re-encryption run did. <see cref="ResealedFrom"/> counts the re-encrypted endpoints by the key they were sealed with.</summary>
public sealed record RekeyResult(string KeyId, int Examined, int Resealed, int AlreadyCurrent, IReadOnlyDictionary<string, int> ResealedFrom,
    IReadOnlyList<(Guid CameraId, string SealedWith)> Unreadable);

/// <summary>
/// Re-encrypts every stored stream endpoint under the current <c>Cameras:StreamKey</c>, a batch of cameras per transaction in
/// id order. Idempotent: an endpoint already under the current key is left as it is, so a run that was interrupted (or
/// raced a manager setting an endpoint) is finished by running it again. An endpoint no configured key opens is left
/// untouched and reported. The endpoints are decrypted in memory only, never written anywhere in clear.
/// </summary>
public sealed class StreamRekeying(NpgsqlDataSource dataSource, StreamProtector protector)
{
    public async Task<RekeyResult> RunAsync(int batchSize, CancellationToken ct)
    {
        var (examined, current) = (0, 0);
        var resealedFrom = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var unreadable = new List<(Guid, string)>();
        Guid? after = null;
        while (true)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var batch = new List<(Guid Id, byte[] Sealed)>(batchSize);
            // Locked until the batch commits: a manager setting one of these endpoints meanwhile waits, then overwrites ours.
            await using (var select = new NpgsqlCommand("""
                SELECT id, stream_endpoint FROM cameras
                WHERE stream_endpoint IS NOT NULL AND (@after::uuid IS NULL OR id > @after)
                ORDER BY id LIMIT @limit
                FOR NO KEY UPDATE
                """, connection, tx))
            {
                select.Parameters.Add(new NpgsqlParameter<Guid?>("after", after) { NpgsqlDbType = NpgsqlDbType.Uuid });
                select.Parameters.AddWithValue("limit", batchSize);
                await using var reader = await select.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    batch.Add((reader.GetGuid(0), reader.GetFieldValue<byte[]>(1)));
                }
            }

            var ids = new List<Guid>();
            var values = new List<byte[]>();
            foreach (var (id, sealedEndpoint) in batch)
            {
                switch (protector.Reseal(id, sealedEndpoint, out var resealed, out var sealedWith))
                {
                    case ResealOutcome.Current:
                        current++;
                        break;
                    case ResealOutcome.Resealed:
                        ids.Add(id);
                        values.Add(resealed!);
                        resealedFrom[sealedWith] = resealedFrom.GetValueOrDefault(sealedWith) + 1;
                        break;
                    default:
                        unreadable.Add((id, sealedWith));
                        break;
                }
            }

            if (ids.Count > 0)
            {
                await using var update = new NpgsqlCommand(
                    "UPDATE cameras c SET stream_endpoint = v.sealed FROM unnest(@ids, @values) AS v(id, sealed) WHERE c.id = v.id", connection, tx);
                update.Parameters.AddWithValue("ids", ids.ToArray());
                update.Parameters.AddWithValue("values", values.ToArray());
                await update.ExecuteNonQueryAsync(ct);
            }

            await tx.CommitAsync(ct);
            examined += batch.Count;
            if (batch.Count < batchSize)
            {
                return new RekeyResult(protector.CurrentKeyId, examined, resealedFrom.Values.Sum(), current, resealedFrom, unreadable);
            }

            after = batch[^1].Id;
        }
    }
}
