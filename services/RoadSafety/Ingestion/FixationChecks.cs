using System.Text.RegularExpressions;
using PublicSafety.RoadSafety.Extensions;
using PublicSafety.RoadSafety.Model;
using PublicSafety.ServiceDefaults;

namespace PublicSafety.RoadSafety.Ingestion;

/// <summary>The per-record checks of ingestion that need no database, and the offence rules of a rule version.</summary>
public static partial class FixationChecks
{
    /// <summary>Why the posted offence does not stand under the rule version, or null (the fixation of a passage has no offence).</summary>
    public static string? OffenceReason(FixationRecord r, RuleSet rule) => r.ViolationCode switch
    {
        Vocabulary.Speeding when r.SpeedKmh <= r.LimitKmh + rule.SpeedToleranceKmh => Reasons.WithinSpeedTolerance,
        Vocabulary.RedLight when r.RedElapsedMs < rule.RedLightGraceMs => Reasons.WithinRedLightGrace,
        _ => null,
    };

    /// <summary>The checks that need no database: shape, time and plausibility. Null when the record may go on.</summary>
    public static string? Check(FixationRecord? r, DateTimeOffset now, RoadSafetyOptions options)
    {
        if (r is null || r.DeviceId is not { } device || device == Guid.Empty || r.Sequence is not >= 0 || r.OccurredAt is null
            || string.IsNullOrWhiteSpace(r.Plate) || r.Plate.Length > 64 || !PlatePattern().IsMatch(Normalize(r.Plate)))
        {
            return Reasons.InvalidRecord;
        }

        if (r.OccurredAt > now + options.MaxClockSkew) return Reasons.FutureTime;
        if (r.OccurredAt < now - options.MaxFixationAge) return Reasons.TooOld;
        if (r.SpeedKmh is < 0 || r.LimitKmh is < 5 or > 150 || r.Lane is < 1 or > 12 || r.RedElapsedMs is < 0 or > 600_000) return Reasons.ImplausibleSpeed;
        if (r.ViolationCode is { } code && !Vocabulary.ViolationCodes.Contains(code)) return Reasons.InvalidRecord;
        if (r.ViolationCode == Vocabulary.Speeding && (r.SpeedKmh is null || r.LimitKmh is null)) return Reasons.InvalidRecord;
        if (r.ViolationCode == Vocabulary.RedLight && r.RedElapsedMs is null) return Reasons.InvalidRecord;
        if (r.Evidence is { Length: > 10 } || r.Evidence?.Any(e => e is null || e.Kind is null || !Vocabulary.EvidenceKinds.Contains(e.Kind)
                || string.IsNullOrWhiteSpace(e.Id) || e.Id.Length > 200 || !PlainText.IsClean(e.Id) || e.Sha256 is null || !Sha256Pattern().IsMatch(e.Sha256)) == true)
        {
            return Reasons.InvalidRecord;
        }

        // An offence without a photo or video can't be put to the owner.
        if (r.ViolationCode is not null && r.Evidence is not { Length: > 0 }) return Reasons.EvidenceRequired;
        return null;
    }

    /// <summary>Plates are compared as upper-case letters and digits: "123 abc-02" and "123ABC02" are one car.</summary>
    public static string Normalize(string plate)
    {
        Span<char> buffer = stackalloc char[Math.Min(plate.Length, 64)];
        var n = 0;
        foreach (var ch in plate.AsSpan(0, Math.Min(plate.Length, 64)))
        {
            if (ch is ' ' or '-') continue;
            buffer[n++] = char.ToUpperInvariant(ch);
        }

        return new string(buffer[..n]);
    }

    [GeneratedRegex("^[0-9A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{2,12}$")]
    private static partial Regex PlatePattern();

    [GeneratedRegex("^[0-9a-fA-F]{64}$")]
    private static partial Regex Sha256Pattern();
}
