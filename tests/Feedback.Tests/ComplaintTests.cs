using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PublicSafety.Testing;

namespace PublicSafety.Feedback.Tests;

[Collection(FeedbackCollection.Name)]
public sealed class ComplaintTests(FeedbackService feedback)
{
    [Fact]
    public async Task AComplaintGoesThroughItsLifecycleWithWhoWhenAndWhyAndTheComplainantFollowsIt()
    {
        using var citizen = feedback.Anonymous();
        using var filed = await citizen.PostAsJsonAsync("/api/feedback/public/complaints", new
        {
            region = "KZ-55", unit = "Pavlodar city police, patrol 3", category = "rudeness",
            description = "The officer shouted at me. My number is 8 (701) 555-12-34.",
        });
        Assert.Equal(HttpStatusCode.Created, filed.StatusCode);
        var receipt = (await filed.Content.ReadFromJsonAsync<JsonObject>())!;
        var code = receipt["referenceCode"]!.GetValue<string>();
        Assert.Matches("^FB(-[0-9A-Z]{4}){4}$", code);

        using var manager = feedback.Client(["feedback.manage"], "KZ-55", user: "inspector-7");
        var list = (await manager.GetFromJsonAsync<JsonArray>("/api/feedback/complaints?limit=200"))!;
        var id = list.Single(c => c!["referenceCode"]!.GetValue<string>() == code)!["id"]!.GetValue<Guid>();
        Assert.Equal("The officer shouted at me. My number is [masked].", list.Single(c => c!["id"]!.GetValue<Guid>() == id)!["description"]!.GetValue<string>());

        await StepAsync(manager, id, new { action = "assign", reason = "Internal security desk", assignee = "inspector-7" }, HttpStatusCode.OK);
        // Resolving before the review started is not a step of the lifecycle.
        await StepAsync(manager, id, new { action = "resolve", reason = "too early", outcome = "upheld" }, HttpStatusCode.Conflict);
        await StepAsync(manager, id, new { action = "start_review", reason = "Body-camera footage requested" }, HttpStatusCode.OK);
        var resolved = await StepAsync(manager, id, new { action = "resolve", reason = "Footage confirms the complaint", outcome = "upheld" }, HttpStatusCode.OK);
        Assert.Equal("resolved", resolved["status"]!.GetValue<string>());
        Assert.Equal("upheld", resolved["outcome"]!.GetValue<string>());
        var steps = resolved["steps"]!.AsArray();
        Assert.Equal(["received", "assigned", "under_review", "resolved"], steps.Select(s => s!["status"]!.GetValue<string>()).ToArray());
        Assert.Equal(["citizen", "inspector-7", "inspector-7", "inspector-7"], steps.Select(s => s!["actor"]!.GetValue<string>()).ToArray());
        Assert.Equal("Footage confirms the complaint", steps[3]!["reason"]!.GetValue<string>());
        await StepAsync(manager, id, new { action = "forward", reason = "after resolution" }, HttpStatusCode.Conflict);

        // The complainant sees the status and its dates by the code, not who handled it or why.
        var status = (await citizen.GetFromJsonAsync<JsonObject>($"/api/feedback/public/complaints/{code}"))!;
        Assert.Equal("resolved", status["status"]!.GetValue<string>());
        Assert.Equal(4, status["history"]!.AsArray().Count);
        Assert.DoesNotContain("inspector-7", status.ToJsonString());
        Assert.DoesNotContain("Footage", status.ToJsonString());
    }

    [Fact]
    public async Task AComplaintLeftPastItsDeadlineIsPublishedAsOverdueOnce()
    {
        using var manager = feedback.Client(["feedback.manage"], "KZ-19", user: "inspector-2");
        var complaint = await RegisterAsync(manager, "KZ-19");
        var id = complaint["id"]!.GetValue<Guid>();
        await StepAsync(manager, id, new { action = "assign", reason = "Duty inspector", assignee = "inspector-2" }, HttpStatusCode.OK);

        Assert.True(await Eventually.HoldsAsync(async () => (await feedback.OutboxAsync("ComplaintOverdue", id.ToString())).Count == 1, TimeSpan.FromSeconds(20)),
            "the overdue complaint was not reported");
        var overdue = Assert.Single(await feedback.OutboxAsync("ComplaintOverdue", id.ToString()));
        Assert.Equal("assigned", overdue["status"]!.GetValue<string>());
        Assert.Equal(complaint["referenceCode"]!.GetValue<string>(), overdue["referenceCode"]!.GetValue<string>());
        Assert.DoesNotContain("description", overdue.ToJsonString());

        // Further sweeps (every second) don't report it again; it is listed as overdue.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(await feedback.OutboxAsync("ComplaintOverdue", id.ToString()));
        var listed = (await manager.GetFromJsonAsync<JsonArray>("/api/feedback/complaints?overdue=true&limit=200"))!;
        Assert.Contains(listed, c => c!["id"]!.GetValue<Guid>() == id && c["overdue"]!.GetValue<bool>());
    }

    [Fact]
    public async Task RegisteringWithTheSameIdempotencyKeyReturnsTheFirstComplaint()
    {
        using var manager = feedback.Client(["feedback.manage"], "KZ-19");
        var key = Guid.NewGuid().ToString();
        var first = await RegisterAsync(manager, "KZ-19", key);
        var second = await RegisterAsync(manager, "KZ-19", key, HttpStatusCode.OK);
        Assert.Equal(first["id"]!.GetValue<Guid>(), second["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task ADoubleClickOnTheComplaintFormFilesOneComplaint()
    {
        using var citizen = feedback.Anonymous();
        var key = Guid.NewGuid().ToString();
        var unit = FeedbackService.NewName("Unit");
        var responses = await Task.WhenAll(FileAsync(citizen, unit, "Nobody came.", key), FileAsync(citizen, unit, "Nobody came.", key));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Created], responses.Select(r => r.Status).Order().ToArray());
        Assert.Single(responses.Select(r => r.Body["referenceCode"]!.GetValue<string>()).Distinct());
        var again = await FileAsync(citizen, unit, "Nobody came.", key);
        Assert.Equal((HttpStatusCode.OK, responses[0].Body["referenceCode"]!.GetValue<string>()), (again.Status, again.Body["referenceCode"]!.GetValue<string>()));
        Assert.Equal(1, await feedback.ScalarAsync("SELECT count(*) FROM complaints WHERE unit = @u", ("u", unit)));

        // Without a key every submission is a complaint of its own.
        var (first, second) = (await FileAsync(citizen, unit, "Nobody came."), await FileAsync(citizen, unit, "Nobody came."));
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.Status, second.Status));
        Assert.Equal(3, await feedback.ScalarAsync("SELECT count(*) FROM complaints WHERE unit = @u", ("u", unit)));
    }

    [Fact]
    public async Task AComplaintFormKeyReusedForAnotherComplaintIsAConflictWithoutTheFirstReceipt()
    {
        using var citizen = feedback.Anonymous();
        var key = Guid.NewGuid().ToString();
        var unit = FeedbackService.NewName("Unit");
        Assert.Equal(HttpStatusCode.Created, (await FileAsync(citizen, unit, "Nobody came.", key)).Status);

        using var reused = await SendFileAsync(citizen, unit, "Someone else's complaint.", key);
        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        var problem = await FeedbackService.ProblemAsync(reused);
        Assert.Equal("Idempotency-Key already used", problem["title"]!.GetValue<string>());
        Assert.Null(problem["referenceCode"]);
        Assert.Equal(1, await feedback.ScalarAsync("SELECT count(*) FROM complaints WHERE unit = @u", ("u", unit)));

        // A short key could be guessed, and a guessed key would answer with another citizen's receipt.
        using var guessable = await SendFileAsync(citizen, unit, "Nobody came.", "1");
        Assert.Equal(HttpStatusCode.BadRequest, guessable.StatusCode);
        Assert.NotNull((await FeedbackService.ProblemAsync(guessable))["errors"]!["Idempotency-Key"]);
    }

    private static async Task<(HttpStatusCode Status, JsonObject Body)> FileAsync(HttpClient citizen, string unit, string description, string? key = null)
    {
        using var response = await SendFileAsync(citizen, unit, description, key);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, $"{response.StatusCode}: {text}");
        return (response.StatusCode, JsonNode.Parse(text)!.AsObject());
    }

    private static async Task<HttpResponseMessage> SendFileAsync(HttpClient citizen, string unit, string description, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/feedback/public/complaints")
        {
            Content = JsonContent.Create(new { region = "KZ-19", unit, category = "inaction", description }),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await citizen.SendAsync(request);
    }

    public static async Task<JsonObject> RegisterAsync(HttpClient manager, string region, string? key = null, HttpStatusCode expected = HttpStatusCode.Created)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/feedback/complaints")
        {
            Content = JsonContent.Create(new { region, unit = "District police 4", category = "inaction", description = "Nobody came after my call." }),
        };
        request.Headers.Add("Idempotency-Key", key ?? Guid.NewGuid().ToString());
        using var response = await manager.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    private static async Task<JsonObject> StepAsync(HttpClient manager, Guid id, object step, HttpStatusCode expected)
    {
        using var response = await manager.PostAsJsonAsync($"/api/feedback/complaints/{id}/steps", step);
        Assert.Equal(expected, response.StatusCode);
        return expected == HttpStatusCode.OK
            ? (await response.Content.ReadFromJsonAsync<JsonObject>())!
            : await FeedbackService.ProblemAsync(response);
    }
}
