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

var admin = Environment.GetEnvironmentVariable("PUBLICSAFETY_TEST_PG") ?? "Host=127.0.0.1;Port=55432;Username=postgres;Password=postgres;Database=postgres";
var rabbit = Environment.GetEnvironmentVariable("PUBLICSAFETY_TEST_RABBIT") ?? "amqp://publicsafety:publicsafety@127.0.0.1:55672/";
var root = FindRoot();
var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
var feedbackDll = Path.Combine(root, $"services/Feedback/bin/{configuration}/net10.0/PublicSafety.Feedback.dll");
var gatewayDll = Path.Combine(root, $"gateway/bin/{configuration}/net10.0/PublicSafety.Gateway.dll");
if (!File.Exists(feedbackDll) || !File.Exists(gatewayDll) || !File.Exists(chromium))
{
    Console.Error.WriteLine($"Missing {feedbackDll}, {gatewayDll} or {chromium}: run 'dotnet run -c Release --project bench/citizen-pages' after scripts/prereqs.sh --browser.");
    return 2;
}

Console.WriteLine($"PublicSafety citizens' pages bench — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {configuration}, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
Console.WriteLine(rttMs > 0 || downKbps > 0
    ? $"network: {downKbps} kbit/s down, {upKbps} kbit/s up, {rttMs} ms round trip (Chromium's CDP Network.emulateNetworkConditions); {runs} cold visits after {warmup} warm-up ones"
    : $"network: not emulated (loopback): what the browser and the servers take by themselves; {runs} cold visits after {warmup} warm-up ones");
var work = Directory.CreateTempSubdirectory("citizen-bench-");
var database = $"citizen_bench_{Guid.NewGuid():N}"[..27];
var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
var keyFile = Path.Combine(work.FullName, "key.pem");
var devTokens = DevTokens.FromKeyFile(keyFile);
var processes = new List<Process>();
var exitCode = 0;
try
{
    await Sql(admin, $"CREATE DATABASE \"{database}\"");
    var servicePort = FreePort();
    var gatewayPort = FreePort();
    var site = new Uri($"http://127.0.0.1:{gatewayPort}");
    Start(feedbackDll, "feedback", new()
    {
        ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{servicePort}",
        ["ConnectionStrings__feedbackdb"] = connectionString,
        ["ConnectionStrings__messaging"] = rabbit,
        ["Messaging__EndpointPrefix"] = database,
        ["Messaging__EntityPrefix"] = database + ".",
        ["Feedback__SurveyPageUrl"] = $"{site}citizen/survey",
    });
    Start(gatewayDll, "gateway", new()
    {
        ["ASPNETCORE_URLS"] = site.ToString(),
        ["services__feedback__http__0"] = $"http://127.0.0.1:{servicePort}",
    });
    using var police = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{servicePort}"), Timeout = TimeSpan.FromSeconds(30) };
    police.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
        devTokens.Create(new TokenRequest { Client = "police-102", Roles = ["feedback.ingest"], Lifetime = TimeSpan.FromHours(1) }));
    await WaitReadyAsync(police);
    using (var gateway = new HttpClient { BaseAddress = site })
    {
        await WaitReadyAsync(gateway);
    }

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
finally
{
    foreach (var process in processes)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    NpgsqlConnection.ClearAllPools();
    await Sql(admin, $"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
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

Process Start(string dll, string name, Dictionary<string, string> environment)
{
    var info = new ProcessStartInfo("dotnet", [dll])
    {
        RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = System.IO.Path.GetDirectoryName(dll)!,
    };
    info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
    info.Environment["Keycloak__DevelopmentSigningKeyFile"] = keyFile;
    info.Environment["Logging__LogLevel__Default"] = "Warning";
    info.Environment["OTEL_SERVICE_NAME"] = name;
    info.Environment.Remove("OTEL_EXPORTER_OTLP_ENDPOINT");
    foreach (var (key, value) in environment)
    {
        info.Environment[key] = value;
    }

    var process = Process.Start(info)!;
    var log = new StreamWriter(System.IO.Path.Combine(work.FullName, $"{name}.log")) { AutoFlush = true };
    process.OutputDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
    process.ErrorDataReceived += (_, e) => { lock (log) { log.WriteLine(e.Data); } };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    processes.Add(process);
    return process;
}

static string UrlPath(string url) => Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.PathAndQuery : url;

static async Task WaitReadyAsync(HttpClient client)
{
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed < TimeSpan.FromSeconds(90))
    {
        try
        {
            using var response = await client.GetAsync("/health/ready");
            if (response.IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(250);
    }

    throw new TimeoutException($"{client.BaseAddress} was not ready within 90 s");
}

static async Task Sql(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var cmd = new NpgsqlCommand(sql, connection);
    await cmd.ExecuteNonQueryAsync();
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ')[..3]) : "n/a";

static string FindRoot()
{
    var dir = new DirectoryInfo(AppContext.BaseDirectory);
    while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "PublicSafety.sln")))
    {
        dir = dir.Parent;
    }

    return dir?.FullName ?? throw new InvalidOperationException("Run the bench from inside the repository.");
}
