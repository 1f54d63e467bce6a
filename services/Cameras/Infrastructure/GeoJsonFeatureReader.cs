using System.Text.Json;

namespace PublicSafety.Cameras.Infrastructure;

public enum GeoJsonStatus { Feature, End, NotJson, NotAFeatureCollection, ValueTooLarge }

/// <summary>
/// Reads a GeoJSON FeatureCollection from a stream one feature at a time. Only the feature being read is buffered (at most
/// <paramref name="maxValueBytes"/>), other members of the collection are skipped token by token, and "type" may come before or
/// after "features" (JSON members are unordered): a wrong type stops the reading as soon as it is seen.
/// </summary>
public sealed class GeoJsonFeatureReader(Stream stream, int maxValueBytes)
{
    private enum Phase { Root, Members, TypeValue, FeaturesStart, Features, SkipValue, Skipping, Done }

    private byte[] _buffer = new byte[16 * 1024];
    private int _start;
    private int _end;
    private bool _final;
    private bool _started;
    private JsonReaderState _state;
    private Phase _phase = Phase.Root;
    private int _skipDepth;
    private bool _typeSeen;
    private bool _featuresSeen;

    /// <summary>The next feature (any JSON value inside "features"; the caller judges it), the end of a valid collection, or why reading stopped.</summary>
    public async ValueTask<(GeoJsonStatus Status, JsonDocument? Feature)> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            GeoJsonStatus? status;
            JsonDocument? feature;
            try
            {
                status = Advance(out feature);
            }
            catch (JsonException)
            {
                return (GeoJsonStatus.NotJson, null);
            }

            if (status is { } done) return (done, feature);
            if (_final) return (GeoJsonStatus.NotJson, null); // the input ended inside a value
            if (!await FillAsync(ct)) return (GeoJsonStatus.ValueTooLarge, null);
        }
    }

    /// <summary>Walks the buffered tokens; null when it needs more input.</summary>
    private GeoJsonStatus? Advance(out JsonDocument? feature)
    {
        feature = null;
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), _final, _state);
        while (true)
        {
            var before = reader.CurrentState;
            var consumedBefore = (int)reader.BytesConsumed;
            if (!reader.Read())
            {
                Commit(ref reader);
                if (!_final || _phase != Phase.Done) return null;
                return _typeSeen && _featuresSeen ? GeoJsonStatus.End : GeoJsonStatus.NotAFeatureCollection;
            }

            switch (_phase)
            {
                case Phase.Root when reader.TokenType != JsonTokenType.StartObject:
                case Phase.TypeValue when reader.TokenType != JsonTokenType.String || !Is(ref reader, "FeatureCollection"):
                case Phase.FeaturesStart when reader.TokenType != JsonTokenType.StartArray:
                    return GeoJsonStatus.NotAFeatureCollection;
                case Phase.Root:
                    _phase = Phase.Members;
                    break;
                case Phase.Members when reader.TokenType == JsonTokenType.EndObject:
                    _phase = Phase.Done;
                    break;
                case Phase.Members:
                    _phase = Is(ref reader, "type") ? Phase.TypeValue : Is(ref reader, "features") ? Phase.FeaturesStart : Phase.SkipValue;
                    break;
                case Phase.TypeValue:
                    _typeSeen = true;
                    _phase = Phase.Members;
                    break;
                case Phase.FeaturesStart:
                    _featuresSeen = true;
                    _phase = Phase.Features;
                    break;
                case Phase.Features when reader.TokenType == JsonTokenType.EndArray:
                    _phase = Phase.Members;
                    break;
                case Phase.Features:
                    var tokenStart = (int)reader.TokenStartIndex;
                    if (!reader.TrySkip())
                    {
                        // Not all of the feature is here yet: read it again from its start once more input has come.
                        _start += consumedBefore;
                        _state = before;
                        return null;
                    }

                    // A copy: the buffer is reused for the next feature.
                    feature = JsonDocument.Parse(_buffer.AsSpan(_start + tokenStart, (int)reader.BytesConsumed - tokenStart).ToArray());
                    Commit(ref reader);
                    return GeoJsonStatus.Feature;
                case Phase.SkipValue when reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray:
                    _skipDepth = reader.CurrentDepth;
                    _phase = Phase.Skipping;
                    break;
                case Phase.SkipValue:
                    _phase = Phase.Members;
                    break;
                case Phase.Skipping when reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray && reader.CurrentDepth == _skipDepth:
                    _phase = Phase.Members;
                    break;
            }
        }
    }

    // Valid JSON may escape a lone surrogate ("\ud800"), which no .NET string holds: the comparison throws, and such a name or
    // value is simply not the one asked for.
    private static bool Is(ref Utf8JsonReader reader, string text)
    {
        try
        {
            return reader.ValueTextEquals(text);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _start += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
    }

    /// <summary>Reads more input after what is left; false when one value would not fit in <c>maxValueBytes</c>.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= maxValueBytes) return false;
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, maxValueBytes));
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (!_started)
        {
            _started = true;
            // A UTF-8 byte order mark is not JSON; editors on Windows write one.
            if (read >= 3 && _buffer.AsSpan(0, 3).SequenceEqual("\uFEFF"u8))
            {
                _start = 3;
            }
        }

        _end += read;
        _final = read == 0;
        return true;
    }
}
