using System.Text;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>RFC 4180 CSV: quoted fields, doubled quotes, line breaks inside quotes.</summary>
public static class Csv
{
    /// <summary>The records of <paramref name="text"/>; null when a quote is never closed.</summary>
    public static List<string[]>? Parse(string text)
    {
        var records = new List<string[]>();
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ',') { fields.Add(field.ToString()); field.Clear(); }
            else if (c is '\r' or '\n')
            {
                if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') i++;
                fields.Add(field.ToString());
                field.Clear();
                records.Add([.. fields]);
                fields.Clear();
            }
            else field.Append(c);
        }

        if (quoted)
        {
            return null;
        }

        if (field.Length > 0 || fields.Count > 0)
        {
            fields.Add(field.ToString());
            records.Add([.. fields]);
        }

        // Blank lines carry nothing.
        records.RemoveAll(r => r is [""]);
        return records;
    }

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
