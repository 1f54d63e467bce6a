using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace PublicSafety.Security.Tests.Fuzz;

/// <summary>
/// Malformed gRPC calls: broken framing, bytes that are not the message, and well-formed messages with extreme values in
/// each field (top level and one message deep). The "random" bytes come from a fixed seed.
/// </summary>
public static class GrpcProbes
{
    /// <summary>
    /// What grpc-dotnet answers to malformed framing: INTERNAL with these messages is the specified answer, not a handler
    /// failure. A request it cannot read at all (a compressed flag other than 0 or 1, a length past 2 GiB, bytes that are
    /// not the message) is UNKNOWN with its fixed text <see cref="UnreadableRequest"/>, before any handler runs.
    /// </summary>
    public static readonly HashSet<string> ProtocolErrors =
    [
        "Incomplete message.", "Additional data after the message received.", "Failed to deserialize request message.",
        "Unexpected compressed flag value in message header.", "Request did not include grpc-encoding value with compressed message.",
        "Request sent 'identity' grpc-encoding value with compressed message.", "Failed to decompress message.",
    ];

    public const string UnreadableRequest = "Exception was thrown by handler.";

    public static IEnumerable<Probe> For(GrpcCall example)
    {
        var payload = example.Request.ToByteArray();
        var frame = Send.Frame(payload);
        var random = new byte[64];
        new Random(17).NextBytes(random);
        (string, byte[])[] frames =
        [
            ("an empty body", []), ("a truncated frame header", [0, 0, 0]), ("a length past the body", Send.Frame(payload, payload.Length + 100)),
            ("two messages", [.. frame, .. frame]), ("the compressed flag without an encoding", [1, .. frame[1..]]), ("flag 7", [7, .. frame[1..]]),
            ("garbage bytes", Send.Frame(Enumerable.Repeat((byte)0xFF, 16).ToArray())), ("a field longer than the message", Send.Frame([0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F])),
            ("fixed random bytes", Send.Frame(random)), ("a 4 GiB length prefix", [0, 0xFF, 0xFF, 0xFF, 0xFF, .. payload]),
        ];
        foreach (var (label, bytes) in frames)
        {
            yield return new Probe($"frame: {label}", example with { Frame = bytes }, Unreadable(example, bytes));
        }

        foreach (var field in example.Request.Descriptor.Fields.InFieldNumberOrder().Where(f => f.FieldType == FieldType.String))
        {
            // Field number, wire type 2, three bytes that are a UTF-16 surrogate in UTF-8: protobuf rejects it as a string.
            var bytes = Send.Frame([(byte)(field.FieldNumber << 3 | 2), 3, 0xED, 0xA0, 0x80]);
            yield return new Probe($"{field.Name}: a lone surrogate as raw UTF-8", example with { Frame = bytes }, Unreadable(example, bytes));
        }

        foreach (var (label, message) in Extremes(example.Request, "", depth: 0))
        {
            yield return new Probe(label, example with { Request = message });
        }
    }

    /// <summary>
    /// A compressed flag outside 0 and 1, a length prefix past 2 GiB (grpc-dotnet refuses it before the size limit), or a
    /// single well-framed message that the request's parser rejects.
    /// </summary>
    private static bool Unreadable(GrpcCall example, byte[] frame)
    {
        if (frame.Length < 5)
        {
            return false;
        }

        var length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(frame.AsSpan(1));
        if (frame[0] > 1 || length > int.MaxValue)
        {
            return true;
        }

        if (frame[0] != 0 || length != frame.Length - 5)
        {
            return false;
        }

        try
        {
            example.Request.Descriptor.Parser.ParseFrom(frame.AsSpan(5).ToArray());
            return false;
        }
        catch (InvalidProtocolBufferException)
        {
            return true;
        }
    }

    private static IEnumerable<(string Label, IMessage Message)> Extremes(IMessage valid, string prefix, int depth)
    {
        foreach (var field in valid.Descriptor.Fields.InFieldNumberOrder())
        {
            foreach (var (label, value) in ValuesFor(field))
            {
                var copy = valid.Descriptor.Parser.ParseFrom(valid.ToByteString());
                if (field.IsRepeated)
                {
                    var list = (System.Collections.IList)field.Accessor.GetValue(copy);
                    list.Clear();
                    foreach (var item in Enumerable.Repeat(value, 10_000))
                    {
                        list.Add(item);
                    }

                    yield return ($"{prefix}{field.Name}: 10,000 x {label}", copy);
                }
                else
                {
                    field.Accessor.SetValue(copy, value);
                    yield return ($"{prefix}{field.Name} = {label}", copy);
                }
            }

            if (field.FieldType == FieldType.Message && !field.IsRepeated && depth == 0)
            {
                var inner = (IMessage?)field.Accessor.GetValue(valid) ?? (IMessage)Activator.CreateInstance(field.MessageType.ClrType)!;
                foreach (var (label, changed) in Extremes(inner, $"{field.Name}.", depth + 1))
                {
                    var copy = valid.Descriptor.Parser.ParseFrom(valid.ToByteString());
                    field.Accessor.SetValue(copy, changed);
                    yield return (label, copy);
                }
            }
        }
    }

    private static IEnumerable<(string, object)> ValuesFor(FieldDescriptor field) => field.FieldType switch
    {
        FieldType.Double => [("NaN", double.NaN), ("+Infinity", double.PositiveInfinity), ("-Infinity", double.NegativeInfinity),
            ("1.7976931348623157e308", double.MaxValue), ("-1.7976931348623157e308", double.MinValue), ("5e-324", double.Epsilon), ("-0", -0.0)],
        FieldType.Float => [("NaN", float.NaN), ("+Infinity", float.PositiveInfinity), ("3.4e38", float.MaxValue)],
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 => [("-2147483648", int.MinValue), ("2147483647", int.MaxValue), ("-1", -1)],
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 => [("-9223372036854775808", long.MinValue), ("9223372036854775807", long.MaxValue)],
        FieldType.UInt32 or FieldType.Fixed32 => [("4294967295", uint.MaxValue)],
        FieldType.UInt64 or FieldType.Fixed64 => [("18446744073709551615", ulong.MaxValue)],
        FieldType.Bool => [("true", true)],
        FieldType.String => [("NUL", "KZ-75\0"), ("10,000 characters", new string('a', 10_000)), ("empty", ""), ("right-to-left override", "\u202eKZ-75"),
            ("control characters", "\u0001\u001b[31m")],
        FieldType.Enum => [("999", Enum.ToObject(field.EnumType.ClrType, 999)), ("-1", Enum.ToObject(field.EnumType.ClrType, -1))],
        FieldType.Message => [("an empty message", Activator.CreateInstance(field.MessageType.ClrType)!)],
        _ => [],
    };
}
