using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Google.Protobuf;
using PublicSafety.Contracts.Crisis.V1;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.CrisisCapacity.Tests;

[Collection(CrisisCollection.Name)]
public sealed class GrpcTests(CrisisService crisis)
{
    [Fact]
    public async Task FindAvailableBedsRanksFacilitiesWithFreeBedsByDistance()
    {
        // Kostanay: far from the other tests' facilities.
        var near = await crisis.CreateFacilityAsync("KZ-39", 53.214, 63.624, [("minors", 3, 0)]);
        var far = await crisis.CreateFacilityAsync("KZ-39", 53.30, 63.70, [("minors", 2, 0)]);
        var full = await crisis.CreateFacilityAsync("KZ-39", 53.215, 63.625, [("minors", 1, 1)]);

        var (status, response) = await CallAsync(["crisis.read"], new FindAvailableBedsRequest
        {
            Near = new GeoPoint { Latitude = 53.2145, Longitude = 63.6245 },
            RadiusMeters = 50_000,
            Category = BedCategory.Minors,
        });

        Assert.Equal("0", status);
        var ids = response!.Results.Select(r => Guid.Parse(r.FacilityId)).ToList();
        Assert.Equal([near, far], ids);
        Assert.Equal(3, response.Results[0].Available);
        Assert.True(response.Results[0].DistanceMeters < response.Results[1].DistanceMeters);
        Assert.DoesNotContain(full, ids);
    }

    [Fact]
    public async Task FindAvailableBedsNeedsCrisisReadAndAValidRequest()
    {
        var (denied, _) = await CallAsync(["cameras.read"], new FindAvailableBedsRequest { Region = "KZ-39" });
        var (invalid, _) = await CallAsync(["crisis.read"], new FindAvailableBedsRequest { Region = "KZ-00" });
        var (nowhere, _) = await CallAsync(["crisis.read"], new FindAvailableBedsRequest());

        Assert.Equal("7", denied);   // PERMISSION_DENIED
        Assert.Equal("3", invalid);  // INVALID_ARGUMENT
        Assert.Equal("3", nowhere);
    }

    private async Task<(string Status, FindAvailableBedsResponse? Response)> CallAsync(string[] roles, FindAvailableBedsRequest request)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var payload = request.ToByteArray();
        var frame = new byte[5 + payload.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(1), (uint)payload.Length);
        payload.CopyTo(frame, 5);
        using var message = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{crisis.GrpcPort}/publicsafety.crisis.v1.BedAvailability/FindAvailableBeds")
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(frame),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/grpc");
        message.Headers.TryAddWithoutValidation("te", "trailers");
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            TestTokens.Create(new TokenRequest { Roles = roles, Client = "duty-unit", User = "duty-1" }));

        using var response = await http.SendAsync(message);
        var body = await response.Content.ReadAsByteArrayAsync();
        var status = response.TrailingHeaders.TryGetValues("grpc-status", out var t) ? t.Single()
            : response.Headers.GetValues("grpc-status").Single();
        if (status != "0")
        {
            return (status, null);
        }

        var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(1));
        return (status, FindAvailableBedsResponse.Parser.ParseFrom(body, 5, length));
    }
}
