using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using PublicSafety.Cameras.Infrastructure;

namespace PublicSafety.Cameras.Tests;

/// <summary>Stream key rotation: values name their key, the keys a rotation replaced stay readable while listed.</summary>
public sealed class StreamProtectorTests
{
    private static readonly string OldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void AfterARotationValuesSealedWithTheReplacedKeyOpenWhileItIsListedAndNewValuesUseTheNewKey()
    {
        var camera = Guid.NewGuid();
        var before = Protector(OldKey).Seal(camera, "rtsp://u:old@10.0.0.1/live");

        var rotated = Protector(NewKey, ("Cameras:PreviousStreamKeys:0", OldKey));
        Assert.True(rotated.TryOpen(camera, before, out var endpoint, out _));
        Assert.Equal("rtsp://u:old@10.0.0.1/live", endpoint);

        var after = rotated.Seal(camera, "rtsp://u:new@10.0.0.1/live");
        Assert.Equal(rotated.CurrentKeyId, Convert.ToHexStringLower(after.AsSpan(1, 4)));
        Assert.False(Protector(OldKey).TryOpen(camera, after, out _, out var sealedWith));
        Assert.Equal($"key {rotated.CurrentKeyId}", sealedWith);

        // Once the old key is dropped, its values no longer open, and say which key they need.
        Assert.False(Protector(NewKey).TryOpen(camera, before, out _, out sealedWith));
        Assert.Equal($"key {Protector(OldKey).CurrentKeyId}", sealedWith);
    }

    [Fact]
    public void ValuesSealedBeforeKeyIdsStillOpenWithTheCurrentOrAPreviousKey()
    {
        var camera = Guid.NewGuid();
        var legacy = LegacySeal(OldKey, camera, "https://u:p@hls.example/cam.m3u8");

        Assert.True(Protector(OldKey).TryOpen(camera, legacy, out var endpoint, out _));
        Assert.Equal("https://u:p@hls.example/cam.m3u8", endpoint);
        Assert.True(Protector(NewKey, ("Cameras:PreviousStreamKeys", $"{Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))}, {OldKey}"))
            .TryOpen(camera, legacy, out endpoint, out _));
        Assert.Equal("https://u:p@hls.example/cam.m3u8", endpoint);
        Assert.False(Protector(NewKey).TryOpen(camera, legacy, out _, out var sealedWith));
        Assert.Contains("before key rotation", sealedWith);
    }

    [Fact]
    public void DamagedTruncatedOrMovedValuesDoNotOpenAndDoNotThrow()
    {
        var protector = Protector(NewKey);
        var camera = Guid.NewGuid();
        var value = protector.Seal(camera, "rtsp://u:p@10.0.0.1/live");
        var damaged = value.ToArray();
        damaged[^1] ^= 1;

        Assert.False(protector.TryOpen(camera, damaged, out _, out _));
        Assert.False(protector.TryOpen(camera, value[..20], out _, out _));
        Assert.False(protector.TryOpen(camera, [], out _, out _));
        Assert.False(protector.TryOpen(Guid.NewGuid(), value, out _, out _));
    }

    [Theory]
    [InlineData("c2hvcnQ=")]
    [InlineData("not base64!")]
    public void APreviousKeyThatIsNotA32ByteBase64KeyStopsTheService(string previous)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Protector(NewKey, ("Cameras:PreviousStreamKeys:0", previous)));
        Assert.Contains("Cameras:PreviousStreamKeys", error.Message);
        Assert.DoesNotContain(previous, error.Message);
    }

    private static StreamProtector Protector(string key, params (string Key, string Value)[] more) =>
        new(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Cameras:StreamKey"] = key }.Concat(more.Select(m => KeyValuePair.Create(m.Key, (string?)m.Value))))
            .Build());

    /// <summary>The layout before key ids: nonce (12) || tag (16) || ciphertext, the camera id as associated data.</summary>
    public static byte[] LegacySeal(string key, Guid camera, string endpoint)
    {
        var plain = Encoding.UTF8.GetBytes(endpoint);
        var output = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(output.AsSpan(0, 12));
        using var aes = new AesGcm(Convert.FromBase64String(key), 16);
        aes.Encrypt(output.AsSpan(0, 12), plain, output.AsSpan(28), output.AsSpan(12, 16), camera.ToByteArray());
        return output;
    }
}
