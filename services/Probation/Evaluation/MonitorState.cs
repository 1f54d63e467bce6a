using System.Buffers.Binary;

namespace PublicSafety.Probation.Evaluation;

public enum Side : byte { Unknown = 0, Inside = 1, Outside = 2 }

/// <summary>
/// One circle's state: the confirmed side, since when (the fix that confirmed it), and the run of consecutive point
/// estimates on the other side (positive toward inside, negative toward outside) that is not yet a crossing.
/// </summary>
public struct Tracker
{
    public Side Side;
    public sbyte Run;
    public long SinceTicks;

    public readonly DateTimeOffset Since => new(SinceTicks, TimeSpan.Zero);
}

/// <summary>
/// The evaluator's state for one person: a tracker per circle, keyed by zone and ring (0 = the zone's circle or an
/// exclusion zone's inner ring, 1 = an exclusion zone's outer ring). Stored with every position and on person_state
/// as a compact byte string, so a late fix can resume from the state of the fix before it.
/// </summary>
public sealed class MonitorState
{
    private const int EntrySize = 16 + 1 + 1 + 1 + 8;

    public Dictionary<(Guid Zone, byte Ring), Tracker> Trackers { get; } = [];

    public MonitorState Clone()
    {
        var copy = new MonitorState();
        foreach (var (k, v) in Trackers)
        {
            copy.Trackers[k] = v;
        }

        return copy;
    }

    /// <summary>The count is one byte: PersonStore.MaxZonesPerPerson keeps a person's circles well below 256.</summary>
    public byte[] Encode()
    {
        var bytes = new byte[1 + Trackers.Count * EntrySize];
        bytes[0] = (byte)Trackers.Count;
        var i = 1;
        foreach (var ((zone, ring), t) in Trackers.OrderBy(kv => kv.Key.Zone).ThenBy(kv => kv.Key.Ring))
        {
            zone.TryWriteBytes(bytes.AsSpan(i, 16));
            bytes[i + 16] = ring;
            bytes[i + 17] = (byte)t.Side;
            bytes[i + 18] = (byte)t.Run;
            BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i + 19, 8), t.SinceTicks);
            i += EntrySize;
        }

        return bytes;
    }

    /// <summary>Decodes what <see cref="Encode"/> wrote; null or malformed bytes are the unknown state.</summary>
    public static MonitorState Decode(byte[]? bytes)
    {
        var state = new MonitorState();
        if (bytes is not { Length: > 0 } || bytes.Length != 1 + bytes[0] * EntrySize)
        {
            return state;
        }

        for (var i = 1; i < bytes.Length; i += EntrySize)
        {
            var zone = new Guid(bytes.AsSpan(i, 16));
            state.Trackers[(zone, bytes[i + 16])] = new Tracker
            {
                Side = (Side)bytes[i + 17],
                Run = (sbyte)bytes[i + 18],
                SinceTicks = BinaryPrimitives.ReadInt64LittleEndian(bytes.AsSpan(i + 19, 8)),
            };
        }

        return state;
    }
}
