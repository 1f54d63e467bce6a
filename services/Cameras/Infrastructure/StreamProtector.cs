using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>
/// Encrypts stream endpoints (URLs with credentials) at rest: AES-256-GCM, a random 96-bit nonce per value, the camera id
/// as associated data so a sealed value copied to another row does not decrypt. The key is <c>Cameras:StreamKey</c> (base64,
/// 32 bytes, from a Secret in a cluster); the keys it replaced stay readable while they are listed in
/// <c>Cameras:PreviousStreamKeys</c>. Layout: version (1) || key id (4) || nonce (12) || tag (16) || ciphertext, the version and
/// key id authenticated with the camera id. Values sealed before key ids (nonce || tag || ciphertext) open with any listed key.
/// </summary>
public sealed class StreamProtector
{
    public const string KeySetting = "Cameras:StreamKey";
    public const string PreviousKeysSetting = "Cameras:PreviousStreamKeys";
    private const byte Version = 1;
    private const int HeaderSize = 5;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly Key _current;
    private readonly Key[] _keys;

    public StreamProtector(IConfiguration configuration)
    {
        var encoded = configuration[KeySetting];
        if (string.IsNullOrWhiteSpace(encoded))
        {
            throw new InvalidOperationException($"{KeySetting} is not configured: a base64-encoded 32-byte key is required.");
        }

        _current = Parse(KeySetting, encoded);
        // Either a list (Cameras__PreviousStreamKeys__0, __1, ...) or one value of comma-separated keys.
        var section = configuration.GetSection(PreviousKeysSetting);
        var previous = (section.Value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [])
            .Concat(section.GetChildren().Select(c => c.Value).OfType<string>().Where(v => !string.IsNullOrWhiteSpace(v)))
            .Select(v => Parse(PreviousKeysSetting, v));
        _keys = [_current, .. previous.Where(k => k.Id != _current.Id).DistinctBy(k => k.Id)];
    }

    /// <summary>The id a sealed value names its key by: the first four bytes of the key's SHA-256, in hex. Reveals nothing of the key.</summary>
    public string CurrentKeyId => _current.Hex;

    public byte[] Seal(Guid cameraId, string endpoint)
    {
        var plain = Encoding.UTF8.GetBytes(endpoint);
        var output = new byte[HeaderSize + NonceSize + TagSize + plain.Length];
        output[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1, 4), _current.Id);
        var nonce = output.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_current.Bytes, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(HeaderSize + NonceSize + TagSize), output.AsSpan(HeaderSize + NonceSize, TagSize),
            AssociatedData(output.AsSpan(0, HeaderSize), cameraId));
        return output;
    }

    /// <summary>
    /// Decrypts a sealed endpoint. False when no configured key opens it (a key dropped from configuration, a damaged value);
    /// <paramref name="sealedWith"/> then says which key the value names, for the log.
    /// </summary>
    public bool TryOpen(Guid cameraId, byte[] sealedEndpoint, [NotNullWhen(true)] out string? endpoint, out string sealedWith)
    {
        var value = sealedEndpoint.AsSpan();
        sealedWith = "no key id (sealed before key rotation)";
        if (value.Length >= HeaderSize + NonceSize + TagSize && value[0] == Version)
        {
            var id = BinaryPrimitives.ReadUInt32BigEndian(value.Slice(1, 4));
            sealedWith = $"key {id:x8}";
            if (Array.Find(_keys, k => k.Id == id) is { } key
                && TryDecrypt(key, value[HeaderSize..], AssociatedData(value[..HeaderSize], cameraId), out endpoint))
            {
                return true;
            }
        }

        // An unversioned value starts with its random nonce, which may look like a header: it is tried as such regardless.
        foreach (var key in _keys)
        {
            if (TryDecrypt(key, value, cameraId.ToByteArray(), out endpoint))
            {
                return true;
            }
        }

        endpoint = null;
        return false;
    }

    /// <summary>
    /// Brings a sealed endpoint under the current key: <see cref="ResealOutcome.Current"/> if it already is (unchanged),
    /// <see cref="ResealOutcome.Resealed"/> with the new value if another configured key opens it, else
    /// <see cref="ResealOutcome.Unreadable"/>. <paramref name="sealedWith"/> names the key it was sealed with, never the endpoint.
    /// </summary>
    public ResealOutcome Reseal(Guid cameraId, byte[] sealedEndpoint, out byte[]? resealed, out string sealedWith)
    {
        resealed = null;
        var value = sealedEndpoint.AsSpan();
        if (value.Length >= HeaderSize + NonceSize + TagSize && value[0] == Version && BinaryPrimitives.ReadUInt32BigEndian(value.Slice(1, 4)) == _current.Id
            && TryDecrypt(_current, value[HeaderSize..], AssociatedData(value[..HeaderSize], cameraId), out _))
        {
            sealedWith = $"key {CurrentKeyId}";
            return ResealOutcome.Current;
        }

        if (!TryOpen(cameraId, sealedEndpoint, out var endpoint, out sealedWith))
        {
            return ResealOutcome.Unreadable;
        }

        resealed = Seal(cameraId, endpoint);
        return ResealOutcome.Resealed;
    }

    private static bool TryDecrypt(Key key, ReadOnlySpan<byte> value, ReadOnlySpan<byte> associatedData, [NotNullWhen(true)] out string? endpoint)
    {
        endpoint = null;
        if (value.Length < NonceSize + TagSize)
        {
            return false;
        }

        var plain = new byte[value.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(key.Bytes, TagSize);
            aes.Decrypt(value[..NonceSize], value[(NonceSize + TagSize)..], value.Slice(NonceSize, TagSize), plain, associatedData);
        }
        catch (CryptographicException)
        {
            return false;
        }

        endpoint = Encoding.UTF8.GetString(plain);
        return true;
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, Guid cameraId) => [.. header, .. cameraId.ToByteArray()];

    private static Key Parse(string setting, string encoded)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{setting} is not valid base64.");
        }

        if (bytes.Length != 32)
        {
            throw new InvalidOperationException($"{setting}: a key must be 32 bytes (AES-256), not {bytes.Length}.");
        }

        return new Key(bytes, BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(bytes)));
    }

    private sealed record Key(byte[] Bytes, uint Id)
    {
        public string Hex => Id.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }
}

public enum ResealOutcome { Current, Resealed, Unreadable }
