using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace PublicSafety.ServiceDefaults.Grpc;

/// <summary>The parts of the gRPC over HTTP/2 protocol (PROTOCOL-HTTP2.md) that both ends share.</summary>
public static class GrpcProtocol
{
    public const string ContentType = "application/grpc";
    public const string StatusHeader = "grpc-status";
    public const string MessageHeader = "grpc-message";
    public const string TimeoutHeader = "grpc-timeout";
    public const string EncodingHeader = "grpc-encoding";
    public const string AcceptEncodingHeader = "grpc-accept-encoding";
    public const string SupportedEncodings = "identity,gzip,deflate";

    /// <summary>A message frame starts with a compressed flag (1 byte) and the message length (4 bytes, big-endian).</summary>
    public const int FrameHeaderSize = 5;

    /// <summary>4 MiB, grpc-dotnet's and grpc-js's default for received messages.</summary>
    public const int DefaultMaxMessageSize = 4 * 1024 * 1024;

    /// <summary><c>application/grpc</c>, <c>application/grpc+proto</c> or either with parameters; not <c>application/grpc-web</c>.</summary>
    public static bool IsGrpcContentType(string? contentType)
    {
        if (contentType is null || !contentType.StartsWith(ContentType, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        if (contentType.Length == ContentType.Length)
        {
            return true;
        }

        var next = contentType[ContentType.Length];
        return next == ';' || (next == '+' && contentType.AsSpan(ContentType.Length + 1).TrimEnd().StartsWith("proto", StringComparison.OrdinalIgnoreCase));
    }

    public static void WriteFrameHeader(Span<byte> destination, bool compressed, int length)
    {
        destination[0] = compressed ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], (uint)length);
    }

    /// <summary>Parses <c>grpc-timeout</c>: at most 8 digits and a unit (H, M, S, m, u, n).</summary>
    public static bool TryParseTimeout(string? value, out TimeSpan timeout)
    {
        timeout = TimeSpan.Zero;
        if (value is null || value.Length is < 2 or > 9
            || !long.TryParse(value.AsSpan(0, value.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            return false;
        }

        timeout = value[^1] switch
        {
            'H' => TimeSpan.FromHours(amount),
            'M' => TimeSpan.FromMinutes(amount),
            'S' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMilliseconds(amount),
            'u' => TimeSpan.FromTicks(amount * 10),
            'n' => TimeSpan.FromTicks(amount / 100),
            _ => TimeSpan.MinValue,
        };
        return timeout != TimeSpan.MinValue;
    }

    /// <summary>The finest unit whose value fits the protocol's 8 digits, rounded up so a deadline is never shortened.</summary>
    public static string FormatTimeout(TimeSpan timeout)
    {
        const long MaxValue = 99_999_999;
        var micros = Math.Max(1, (timeout.Ticks + 9) / 10);
        if (micros <= MaxValue)
        {
            return micros.ToString(CultureInfo.InvariantCulture) + "u";
        }

        foreach (var (unit, size) in new[] { ('m', 1_000L), ('S', 1_000_000L), ('M', 60_000_000L), ('H', 3_600_000_000L) })
        {
            var value = (micros + size - 1) / size;
            if (value <= MaxValue)
            {
                return value.ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        return MaxValue.ToString(CultureInfo.InvariantCulture) + "H";
    }

    /// <summary><c>grpc-message</c> is UTF-8, percent-encoded outside printable ASCII (and '%' itself).</summary>
    public static string PercentEncode(string message)
    {
        if (!message.Any(NeedsEncoding))
        {
            return message;
        }

        var builder = new StringBuilder(message.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(message))
        {
            if (b is < 0x20 or > 0x7E || b == '%')
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append((char)b);
            }
        }

        return builder.ToString();

        static bool NeedsEncoding(char c) => c is < ' ' or > '~' or '%';
    }

    /// <summary>Decodes <c>grpc-message</c>; malformed escapes are kept as they are, as the spec asks.</summary>
    public static string PercentDecode(string value)
    {
        if (!value.Contains('%'))
        {
            return value;
        }

        var bytes = new List<byte>(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] == '%' && i + 2 < value.Length
                && byte.TryParse(value.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b))
            {
                bytes.Add(b);
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(value[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>The grpc status a client infers from an HTTP status when the response carries none (http-grpc-status-mapping.md).</summary>
    public static GrpcStatusCode FromHttpStatus(int httpStatus) => httpStatus switch
    {
        400 => GrpcStatusCode.Internal,
        401 => GrpcStatusCode.Unauthenticated,
        403 => GrpcStatusCode.PermissionDenied,
        404 => GrpcStatusCode.Unimplemented,
        429 or 502 or 503 or 504 => GrpcStatusCode.Unavailable,
        _ => GrpcStatusCode.Unknown,
    };
}
