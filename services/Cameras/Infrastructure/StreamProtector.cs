using System.Security.Cryptography;
using System.Text;

namespace PublicSafety.Cameras.Infrastructure;

/// <summary>
/// Encrypts stream endpoints (URLs with credentials) at rest: AES-256-GCM, a random 96-bit nonce per value, the camera id
/// as associated data so a sealed value copied to another row does not decrypt. Layout: nonce (12) || tag (16) || ciphertext.
/// The key is <c>Cameras:StreamKey</c> (base64, 32 bytes), from a Secret in a cluster.
/// </summary>
public sealed class StreamProtector
{
    public const string KeySetting = "Cameras:StreamKey";
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public StreamProtector(IConfiguration configuration)
    {
        var encoded = configuration[KeySetting];
        if (string.IsNullOrWhiteSpace(encoded))
        {
            throw new InvalidOperationException($"{KeySetting} is not configured: a base64-encoded 32-byte key is required.");
        }

        try
        {
            _key = Convert.FromBase64String(encoded);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException($"{KeySetting} is not valid base64.");
        }

        if (_key.Length != 32)
        {
            throw new InvalidOperationException($"{KeySetting} must be 32 bytes (AES-256), not {_key.Length}.");
        }
    }

    public byte[] Seal(Guid cameraId, string endpoint)
    {
        var plain = Encoding.UTF8.GetBytes(endpoint);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), cameraId.ToByteArray());
        return output;
    }

    public string Open(Guid cameraId, byte[] sealedEndpoint)
    {
        if (sealedEndpoint.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The sealed stream endpoint is truncated.");
        }

        var plain = new byte[sealedEndpoint.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedEndpoint.AsSpan(0, NonceSize), sealedEndpoint.AsSpan(NonceSize + TagSize), sealedEndpoint.AsSpan(NonceSize, TagSize),
            plain, cameraId.ToByteArray());
        return Encoding.UTF8.GetString(plain);
    }
}
