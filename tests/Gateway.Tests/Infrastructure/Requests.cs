namespace PublicSafety.Gateway.Tests.Infrastructure;

public static class Requests
{
    /// <summary>A GET marked with a fresh test id, so the recording destination can tell which requests are this test's.</summary>
    public static (HttpRequestMessage Request, string TestId) Marked(HttpMethod method, string path)
    {
        var testId = Guid.NewGuid().ToString("N");
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(RecordingServer.TestIdHeader, testId);
        return (request, testId);
    }
}
