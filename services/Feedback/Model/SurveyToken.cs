using System.Security.Cryptography;
using System.Text;

namespace PublicSafety.Feedback.Model;

/// <summary>
/// A one-time survey token: 256 bits from the OS CSPRNG, base64url (43 characters). The database keeps only its SHA-256,
/// so a copy of the database can't be used to answer surveys; the token is high-entropy, so an unsalted hash is enough.
/// </summary>
public static class SurveyToken
{
    public const int Length = 43;

    public static string New() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.ASCII.GetBytes(token));

    /// <summary>The shape of a token; anything else is refused before touching the database.</summary>
    public static bool IsWellFormed(string? token) =>
        token is { Length: Length } && token.All(c => c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_');

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>A complaint's public reference code: 80 random bits in Crockford base32, e.g. <c>FB-7K2Q-9XMD-4HTV-0RCA</c>.</summary>
public static class ReferenceCode
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string New()
    {
        var bytes = RandomNumberGenerator.GetBytes(10);
        var chars = new StringBuilder("FB");
        ulong acc = 0;
        var bits = 0;
        var written = 0;
        foreach (var b in bytes)
        {
            acc = (acc << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                if (written % 4 == 0)
                {
                    chars.Append('-');
                }

                chars.Append(Alphabet[(int)((acc >> (bits - 5)) & 31)]);
                bits -= 5;
                written++;
            }
        }

        return chars.ToString();
    }

    public static bool IsWellFormed(string? code) =>
        code is { Length: 22 } && code.StartsWith("FB-", StringComparison.Ordinal) &&
        code.Skip(2).Select((c, i) => i % 5 == 0 ? c == '-' : Alphabet.Contains(c)).All(ok => ok);
}
