// bench/citizen-pages: the survey page as a phone on a slow connection gets it, opened from an invitation link: bytes
// transferred, requests to other hosts, time to a usable form. See README.md.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Playwright;
using Npgsql;
using PublicSafety.Bench;
using PublicSafety.DevToken;

var options = new BenchArgs(args);
var runs = options.Int("--runs", 5);
var warmup = options.Int("--warmup", 2);
var downKbps = options.Int("--down-kbps", 400);
var upKbps = options.Int("--up-kbps", 400);
var rttMs = options.Int("--rtt-ms", 400);
var chromium = options.String("--chromium", Environment.GetEnvironmentVariable("PUBLICSAFETY_CHROMIUM") ?? "/usr/bin/chromium");
const int TargetBytes = 60 * 1024;
var targetTime = TimeSpan.FromSeconds(2);

var configuration = BenchMachine.Configuration;
var feedbackDll = BenchMachine.BuiltDll("services/Feedback", "PublicSafety.Feedback");
var gatewayDll = BenchMachine.BuiltDll("gateway", "PublicSafety.Gateway");
if (!File.Exists(feedbackDll) || !File.Exists(gatewayDll) || !File.Exists(chromium))
{
    Console.Error.WriteLine($"Missing {feedbackDll}, {gatewayDll} or {chromium}: run 'dotnet run -c Release --project bench/citizen-pages' after scripts/prereqs.sh --browser.");
    return 2;
}

Console.WriteLine($"PublicSafety citizens' pages bench — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {configuration}, {Environment.ProcessorCount} cores, load average {BenchMachine.LoadAverage()}");
Console.WriteLine(rttMs > 0 || downKbps > 0
    ? $"network: {downKbps} kbit/s down, {upKbps} kbit/s up, {rttMs} ms round trip (Chromium's CDP Network.emulateNetworkConditions); {runs} cold visits after {warmup} warm-up ones"
    : $"network: not emulated (loopback): what the browser and the servers take by themselves; {runs} cold visits after {warmup} warm-up ones");
var work = Directory.CreateTempSubdirectory("citizen-bench-");
var keyFile = Path.Combine(work.FullName, "key.pem");
var devTokens = DevTokens.FromKeyFile(keyFile);
var exitCode = 0;
try
{
    await using var database = await BenchDatabase.CreateAsync("citizen_bench");
    var connectionString = database.ConnectionString;
    // The gateway's address first: the invitation's link names it.
    var site = new Uri($"http://127.0.0.1:{BenchMachine.FreePort()}");
    using var feedback = BenchProcess.Start("feedback", feedbackDll, new Dictionary<string, string>
    {
        ["Keycloak__DevelopmentSigningKeyFile"] = keyFile,
        ["ConnectionStrings__feedbackdb"] = connectionString,
        ["ConnectionStrings__messaging"] = BenchDatabase.Broker,
        ["Messaging__EndpointPrefix"] = database.Name,
        ["Messaging__EntityPrefix"] = database.Name + ".",
        ["Feedback__SurveyPageUrl"] = $"{site}citizen/survey",
    }, work.FullName);
    using var gateway = BenchProcess.Start("gateway", gatewayDll, new Dictionary<string, string>
    {
        ["Keycloak__DevelopmentSigningKeyFile"] = keyFile,
        ["services__feedback__http__0"] = feedback.BaseAddress.ToString(),
    }, work.FullName, port: site.Port);
    using var police = new HttpClient { BaseAddress = feedback.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    police.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
        devTokens.Create(new TokenRequest { Client = "police-102", Roles = ["feedback.ingest"], Lifetime = TimeSpan.FromHours(1) }));
    await feedback.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));
    await gateway.WaitUntilReadyAsync(TimeSpan.FromSeconds(90));

    Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    using var playwright = await Playwright.CreateAsync();
    await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true });

    var times = new List<double>();
    var described = new List<double>();
    var bytes = new List<long>();
    var foreign = new ConcurrentBag<string>();
    for (var run = -warmup; run < runs; run++)
    {
        var link = await InvitationLinkAsync(police, connectionString);
        // A fresh profile each time: the citizen opens the SMS link with nothing cached.
        await using var context = await browser.NewContextAsync(new()
        {
            ViewportSize = new() { Width = 360, Height = 740 }, DeviceScaleFactor = 2, IsMobile = true, HasTouch = true, Locale = "kk-KZ",
        });
        var page = await context.NewPageAsync();
        page.Request += (_, request) =>
        {
            if (!request.Url.StartsWith("data:", StringComparison.Ordinal) && new Uri(request.Url).Authority != site.Authority)
            {
                foreign.Add(request.Url);
            }
        };
        var cdp = await context.NewCDPSessionAsync(page);
        var urls = new ConcurrentDictionary<string, string>();
        var received = new ConcurrentDictionary<string, long>();
        cdp.Event("Network.requestWillBeSent").OnEvent += (_, e) =>
            urls[e!.Value.GetProperty("requestId").GetString()!] = e.Value.GetProperty("request").GetProperty("url").GetString()!;
        cdp.Event("Network.loadingFinished").OnEvent += (_, e) =>
            received[e!.Value.GetProperty("requestId").GetString()!] = (long)e.Value.GetProperty("encodedDataLength").GetDouble();
        await cdp.SendAsync("Network.enable");
        if (rttMs > 0 || downKbps > 0)
        {
            await cdp.SendAsync("Network.emulateNetworkConditions", new Dictionary<string, object>
            {
                ["offline"] = false,
                ["latency"] = rttMs,
                ["downloadThroughput"] = downKbps > 0 ? downKbps * 1000 / 8 : -1,
                ["uploadThroughput"] = upKbps > 0 ? upKbps * 1000 / 8 : -1,
            });
        }

        // Usable: the questions are on screen with their stylesheet applied (the send button has its colour) and the script
        // has put the link's code into the form, so that sending works. Then: the description of the survey is shown.
        var watch = Stopwatch.StartNew();
        await page.GotoAsync(link, new() { WaitUntil = WaitUntilState.Commit, Timeout = 60_000 });
        await page.WaitForFunctionAsync("""
            () => {
              const send = document.querySelector('#survey-answer > button[type=submit]'), code = document.getElementById('token');
              return send && code && code.value.length === 43 && getComputedStyle(send).backgroundColor === 'rgb(11, 79, 138)';
            }
            """, null, new() { Timeout = 60_000, PollingInterval = 10 });
        var elapsed = watch.Elapsed;
        await page.Locator("#survey-about .about").WaitForAsync(new() { Timeout = 60_000 });
        var describedAfter = watch.Elapsed;
        await page.WaitForLoadStateAsync(LoadState.Load);
        if (run < 0)
        {
            // Warm-up visits: the servers' and the browser's first requests pay for JIT compilation, which a running site has behind it.
            continue;
        }

        times.Add(elapsed.TotalMilliseconds);
        described.Add(describedAfter.TotalMilliseconds);
        var total = received.Values.Sum();
        bytes.Add(total);
        Console.WriteLine($"visit {run + 1}: usable form after {elapsed.TotalMilliseconds:N0} ms, description after {describedAfter.TotalMilliseconds:N0} ms, " +
            $"{total:N0} bytes in {received.Count} responses");
        if (run == 0)
        {
            foreach (var (id, size) in received.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"    {size,7:N0} B  {UrlPath(urls.GetValueOrDefault(id, "?"))}");
            }
        }
    }

    times.Sort();
    described.Sort();
    var worstBytes = bytes.Max();
    Console.WriteLine($"bytes transferred (headers included), survey page with everything it loads: {worstBytes:N0} B = {worstBytes / 1024.0:F1} KB (target <= 60 KB)");
    Console.WriteLine($"requests to another host: {foreign.Count}{(foreign.IsEmpty ? "" : ": " + string.Join(", ", foreign.Distinct()))} (target 0)");
    Console.WriteLine($"time to a usable form: median {Percentile.NearestRank(times, 0.5):N0} ms, worst {times[^1]:N0} ms over {runs} visits (target < 2,000 ms)");
    Console.WriteLine($"time until the survey's description is shown too: median {Percentile.NearestRank(described, 0.5):N0} ms, worst {described[^1]:N0} ms");
    if (worstBytes > TargetBytes || !foreign.IsEmpty || times[^1] >= targetTime.TotalMilliseconds)
    {
        exitCode = 1;
    }
}
catch (Exception ex)
{
    Console.Error.WriteLine($"bench failed: {ex.Message} (logs in {work.FullName})");
    exitCode = 2;
}

return exitCode;

// An interaction registered as the 102 dispatch would; its link from the SurveyInvitationIssued row of the outbox.
static async Task<string> InvitationLinkAsync(HttpClient police, string connectionString)
{
    var reference = "BENCH-" + string.Concat(Guid.NewGuid().ToByteArray().Select(b => (char)('A' + b % 26)));
    using var response = await police.PostAsJsonAsync("/api/feedback/interactions", new
    {
        reference, kind = "call_102", region = "KZ-75", unit = "Medeu district police", channel = "phone",
        occurredAt = DateTimeOffset.UtcNow.AddHours(-3), surveyConsent = true, safeChannel = "sms",
    });
    response.EnsureSuccessStatusCode();
    var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var cmd = new NpgsqlCommand("SELECT body::json->>'surveyLink' FROM outbox_messages WHERE aggregate_key = @key", connection);
    cmd.Parameters.AddWithValue("key", id.ToString());
    return (string)(await cmd.ExecuteScalarAsync())!;
}

static string UrlPath(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.PathAndQuery : url;
