using System.Text;

namespace PublicSafety.Cameras.Infrastructure;

public enum CsvStatus { Record, End, UnclosedQuote, FieldTooLong, RecordTooLong }

/// <summary>
/// RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes) read one record at a time from a stream. A field
/// or record longer than its limit stops the reading there: nothing beyond the limit is kept, so one endless line costs no
/// more memory than a normal one. Blank lines carry nothing and are skipped.
/// </summary>
public sealed class CsvReader(TextReader reader, int maxFieldChars, int maxRecordChars)
{
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;

    /// <summary>The next record (<see cref="CsvStatus.Record"/> with its fields), the end of the input, or why reading stopped.</summary>
    public async ValueTask<(CsvStatus Status, string[]? Fields)> ReadAsync(CancellationToken ct)
    {
        var fields = new List<string>();
        var field = _field.Clear();
        var quoted = false;
        var chars = 0;
        while (true)
        {
            if (_position == _length && !await FillAsync(ct))
            {
                if (quoted) return (CsvStatus.UnclosedQuote, null);
                if (field.Length == 0 && fields.Count == 0) return (CsvStatus.End, null);
                fields.Add(field.ToString());
                return (CsvStatus.Record, [.. fields]);
            }

            var c = _buffer[_position++];
            if (++chars > maxRecordChars) return (CsvStatus.RecordTooLong, null);
            if (quoted)
            {
                if (c != '"') field.Append(c);
                else if (await NextIsAsync('"', ct)) field.Append('"');
                else quoted = false;
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c is '\r' or '\n')
            {
                if (c == '\r') await NextIsAsync('\n', ct);
                if (field.Length == 0 && fields.Count == 0)
                {
                    chars = 0; // a blank line
                    continue;
                }

                fields.Add(field.ToString());
                return (CsvStatus.Record, [.. fields]);
            }
            else field.Append(c);

            if (field.Length > maxFieldChars) return (CsvStatus.FieldTooLong, null);
        }
    }

    /// <summary>Consumes the next character if it is <paramref name="expected"/>.</summary>
    private async ValueTask<bool> NextIsAsync(char expected, CancellationToken ct)
    {
        if (_position == _length && !await FillAsync(ct)) return false;
        if (_buffer[_position] != expected) return false;
        _position++;
        return true;
    }

    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        _length = await reader.ReadAsync(_buffer.AsMemory(), ct);
        _position = 0;
        return _length > 0;
    }
}

/// <summary>CSV fields for exports.</summary>
public static class Csv
{
    /// <summary>One field, quoted when needed; text that a spreadsheet would run as a formula is prefixed with an apostrophe.</summary>
    public static string Field(string? value, bool text = true)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }

        if (text && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
    }
}
