namespace PublicSafety.ServiceDefaults;

/// <summary>
/// Whether text from a caller may be stored or queried with. PostgreSQL refuses NUL in text (the request would fail as a
/// 500), and the other control characters (terminal escapes, bells), bidirectional overrides (text that reads otherwise
/// than it is stored) and unpaired surrogates (not encodable as UTF-8) have no place in a name, a number or a reference.
/// Free text may allow line breaks and tabs.
/// </summary>
public static class PlainText
{
    public static bool IsClean(string? text, bool allowLineBreaks = false)
    {
        if (text is null)
        {
            return true;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if ((char.IsControl(c) && !(allowLineBreaks && c is '\n' or '\r' or '\t')) || char.IsSurrogate(c)
                     || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return false;
            }
        }

        return true;
    }
}
