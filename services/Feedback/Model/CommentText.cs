using System.Text.RegularExpressions;
using PublicSafety.ServiceDefaults;

namespace PublicSafety.Feedback.Model;

/// <summary>
/// Free text from citizens (survey comments, complaint descriptions). It is checked at the edge and masked before it is
/// stored: phone numbers, 12-digit ID numbers (ИИН/БИН) and e-mail addresses never reach the database, so no analyst,
/// backup or log can see them. The raw text is not kept: nothing in the service needs it, and a complaint handler who
/// must call back gets the contact through the channel the complainant chose, not from here.
/// </summary>
public static partial class CommentText
{
    public const int MaxComment = 2000;
    public const int MaxComplaint = 4000;
    public const string Mask = "[masked]";

    /// <summary>Null when the text is acceptable, otherwise why not (never echoing the text).</summary>
    public static string? Problem(string? text, int maxLength)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length > maxLength)
        {
            return $"must be at most {maxLength} characters.";
        }

        // Line breaks and tabs are ordinary in a comment; every other control character, and the bidirectional overrides
        // that make text read differently from how it is stored, are refused.
        return PlainText.IsClean(text, allowLineBreaks: true) ? null : "must not contain control characters.";
    }

    /// <summary>The text with personal data replaced by <see cref="Mask"/>; blank becomes null.</summary>
    public static string? Masked(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var masked = Email().Replace(text.Trim(), Mask);
        masked = Phone().Replace(masked, Mask);
        return IdNumber().Replace(masked, Mask);
    }

    // Kazakhstan's numbers are 10 digits starting with 7 (mobiles 7xx, landlines 7xxx or 7xxxx). After a country or trunk
    // prefix (+7, 8 or a bare 7, as people type them) any spaces, dots, dashes or brackets may stand between the digits. A
    // local number without a prefix is only taken in the shapes people write (701 123 45 67, (701) 123-45-67, 7011234567,
    // 7172 12 34 56): with any separators, "7 500 000 000 тенге" would be a phone too.
    [GeneratedRegex(@"(?<!\d)(?:(?:\+\s*7|8|7)[\s\-\.\(]*7(?:[\s\-\.\(\)]*\d){9}|\(?7\d{2}\)?[\s\-\.]?\d{3}[\s\-\.]?\d{2}[\s\-\.]?\d{2}|\(?7\d{3}\)?[\s\-\.]?\d{2}[\s\-\.]?\d{2}[\s\-\.]?\d{2})(?!\d)",
        RegexOptions.CultureInvariant, 250)]
    private static partial Regex Phone();

    // ИИН/БИН: 12 digits, also written as the 6-digit date of birth and the rest apart (900101 300123, 900101-300123).
    [GeneratedRegex(@"(?<!\d)\d{6}[ \-]?\d{6}(?!\d)", RegexOptions.CultureInvariant, 250)]
    private static partial Regex IdNumber();

    [GeneratedRegex(@"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}.\-]+\.[\p{L}]{2,}", RegexOptions.CultureInvariant, 250)]
    private static partial Regex Email();
}
