using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using PublicSafety.Cameras.Apis;
using PublicSafety.DevToken;
using PublicSafety.Testing;

namespace PublicSafety.Cameras.Tests;

/// <summary>
/// An import is read as it arrives and its limits hold while reading (issue 17, item 14): one endless line, field or feature,
/// or one row too many, is refused there, without the rest of the file being read or kept.
/// </summary>
public sealed class ImportLimitTests(CamerasService cameras) : IClassFixture<CamerasService>
{
    [Theory]
    [InlineData("csv", "kind,region\n", "x", "rows[1]", "row 1 has a field longer than 1000 characters")]
    [InlineData("csv", "kind,region,latitude,longitude\nfixed,KZ-75,43.2,76.9\n", ",", "rows[2]", "row 2 is longer than 8192 characters")]
    [InlineData("csv", "kind,region,name\nfixed,KZ-75,\"", "n", "rows[1]", "row 1 has a field longer than 1000 characters")]
    [InlineData("csv", "", "k", "file", "the header has a field longer than 1000 characters")]
    [InlineData("geojson", "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{\"name\":\"", "n", "file", "larger than 65536 bytes")]
    public async Task AnEndlessLineOrValueIsRefusedAtItsLimitWithoutReadingTheRestOfTheFile(string format, string start, string filler, string field, string message)
    {
        // 48 MiB, more than the endpoint takes in all, sent without a length: only reading it could tell how long it is. HttpClient gives
        // up on a request whose body the server stops reading, so it goes over a plain socket that keeps the answer.
        var token = TestTokens.Create(new TokenRequest { Roles = ["cameras.manage"] });
        var (status, text, sent) = await ChunkedPost.SendAsync(cameras.Service.BaseAddress, $"/api/cameras/import?format={format}", token,
            Encoding.UTF8.GetBytes(start), (byte)filler[0], 48L * 1024 * 1024);

        Assert.Equal(400, status);
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Contains(message, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.Equal("Nothing was imported.", problem.GetProperty("detail").GetString());
        // The row's own 400, not the 413 of a body over the endpoint's 32 MiB, shows the limit held while reading. How many bytes
        // the client had written when the answer came depends on scheduling (it was 33 MiB once on a loaded machine), so
        // it is only reported.
        Console.WriteLine($"{format}: {sent} bytes sent before the answer");
    }

    [Fact]
    public async Task MoreCamerasThanAFileMayHoldIsA413WhileReadingAndImportsNothing()
    {
        var town = $"Town-{Guid.NewGuid():N}";
        var csv = new StringBuilder("kind,region,latitude,longitude,settlement\n");
        for (var i = 0; i <= TransferApi.MaxRows; i++) csv.Append($"fixed,KZ-75,43.2,76.9,{town}\n");
        var feature = $"{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[76.9,43.2]}},\"properties\":{{\"kind\":\"fixed\",\"region\":\"KZ-75\",\"settlement\":\"{town}\"}}}}";
        var geojson = "{\"type\":\"FeatureCollection\",\"features\":[" + string.Join(",", Enumerable.Repeat(feature, TransferApi.MaxRows + 1)) + "]}";

        foreach (var (format, body) in new[] { ("csv", csv.ToString()), ("geojson", geojson) })
        {
            var response = await ImportAsync(format, body, "text/plain");
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Too many cameras", problem.GetProperty("title").GetString());
            Assert.Contains($"At most {TransferApi.MaxRows} cameras per file", problem.GetProperty("detail").GetString());
        }

        Assert.Equal(0, await CountAsync(town));
    }

    [Fact]
    public async Task AGeoJsonCollectionIsReadWhateverTheOrderOfItsMembersAndLargeForeignMembersAreSkipped()
    {
        var town = $"Town-{Guid.NewGuid():N}";
        // RFC 7946 allows foreign members; this one is larger than any one feature may be, and is skipped without being kept.
        var body = "\uFEFF{\"metadata\":{\"note\":\"" + new string('m', 300_000) + "\",\"list\":[1,[2,{\"a\":3}]]},\"features\":["
            + $"{{\"type\":\"Feature\",\"geometry\":{{\"type\":\"Point\",\"coordinates\":[76.9,43.2]}},\"properties\":{{\"kind\":\"fixed\",\"region\":\"KZ-75\",\"settlement\":\"{town}\"}}}}"
            + "],\"type\":\"FeatureCollection\"}";
        var response = await ImportAsync("geojson", body, "application/geo+json");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("larger than 65536 bytes", await response.Content.ReadAsStringAsync());

        var fine = body.Replace(new string('m', 300_000), new string('m', 30_000));
        var imported = await ImportAsync("geojson", fine, "application/geo+json");
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        Assert.Equal(1, await CountAsync(town));

        var wrongType = await ImportAsync("geojson", fine.Replace("\"type\":\"FeatureCollection\"", "\"type\":\"GeometryCollection\"").Replace(town, town + "x"),
            "application/geo+json");
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.StatusCode);
        Assert.Equal(0, await CountAsync(town + "x"));
    }

    /// <summary>
    /// POSTs <paramref name="start"/> followed by one byte repeated, up to <paramref name="length"/> bytes in all, with chunked
    /// encoding, until the server answers or stops reading; returns the answer and how many body bytes were sent by then.
    /// </summary>
    private static class ChunkedPost
    {
        public static async Task<(int Status, string Body, long Sent)> SendAsync(Uri server, string path, string token, byte[] start, byte filler, long length)
        {
            using var tcp = new TcpClient();
            await tcp.ConnectAsync(server.Host, server.Port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"POST {path} HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {token}\r\n"
                + "Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"));
            long sent = 0;
            var answered = new CancellationTokenSource();
            var writer = Task.Run(async () =>
            {
                var chunk = new byte[64 * 1024];
                try
                {
                    while (sent < length && !answered.IsCancellationRequested)
                    {
                        var n = (int)Math.Min(chunk.Length, length - sent);
                        for (var i = 0; i < n; i++) chunk[i] = sent + i < start.Length ? start[sent + i] : filler;
                        await stream.WriteAsync(Encoding.ASCII.GetBytes($"{n:x}\r\n"), answered.Token);
                        await stream.WriteAsync(chunk.AsMemory(0, n), answered.Token);
                        await stream.WriteAsync("\r\n"u8.ToArray(), answered.Token);
                        Interlocked.Add(ref sent, n);
                    }
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
                {
                    // The server stopped reading: its answer is what counts.
                }
            });

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var response = new MemoryStream();
            var buffer = new byte[16 * 1024];
            int headerEnd;
            while ((headerEnd = IndexOf(response.ToArray(), "\r\n\r\n"u8.ToArray())) < 0)
            {
                var n = await stream.ReadAsync(buffer, timeout.Token);
                if (n == 0) throw new IOException("The server closed the connection without an answer.");
                response.Write(buffer, 0, n);
            }

            var sentWhenAnswered = Interlocked.Read(ref sent);
            var head = Encoding.ASCII.GetString(response.ToArray(), 0, headerEnd);
            var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var contentLength = head.Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) is { } header
                ? int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)
                : -1;
            // The body: by its length, or chunked until the closing empty chunk.
            while (!Complete(response.ToArray().AsSpan(headerEnd + 4), contentLength))
            {
                var n = await stream.ReadAsync(buffer, timeout.Token);
                if (n == 0) break;
                response.Write(buffer, 0, n);
            }

            await answered.CancelAsync();
            tcp.Close();
            await writer;
            var body = response.ToArray().AsSpan(headerEnd + 4);
            return (status, contentLength >= 0 ? Encoding.UTF8.GetString(body[..contentLength]) : Dechunk(body), sentWhenAnswered);
        }

        private static bool Complete(ReadOnlySpan<byte> body, int contentLength) =>
            contentLength >= 0 ? body.Length >= contentLength : body.IndexOf("\r\n0\r\n\r\n"u8) >= 0 || body.StartsWith("0\r\n\r\n"u8);

        private static string Dechunk(ReadOnlySpan<byte> body)
        {
            var text = new StringBuilder();
            while (true)
            {
                var line = body.IndexOf("\r\n"u8);
                var size = Convert.ToInt32(Encoding.ASCII.GetString(body[..line]), 16);
                if (size == 0) return text.ToString();
                text.Append(Encoding.UTF8.GetString(body.Slice(line + 2, size)));
                body = body[(line + 2 + size + 2)..];
            }
        }

        private static int IndexOf(byte[] data, byte[] value) => data.AsSpan().IndexOf(value);
    }

    private async Task<HttpResponseMessage> ImportAsync(string format, string body, string contentType)
    {
        using var client = cameras.Client("cameras.manage");
        return await client.PostAsync($"/api/cameras/import?format={format}", new StringContent(body, Encoding.UTF8, contentType));
    }

    private async Task<long> CountAsync(string settlement)
    {
        using var client = cameras.Client("cameras.read");
        return (await client.GetFromJsonAsync<JsonElement>($"/api/cameras?settlement={settlement}")).GetProperty("total").GetInt64();
    }
}
