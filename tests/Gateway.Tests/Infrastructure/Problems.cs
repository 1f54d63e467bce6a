using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc;

namespace PublicSafety.Gateway.Tests.Infrastructure;

public static class Problems
{
    /// <summary>Asserts an RFC 9457 problem document with <paramref name="status"/> in both the status line and the body.</summary>
    public static async Task<ProblemDetails> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<ProblemDetails>().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(problem);
        Assert.Equal((int)status, problem.Status);
        Assert.False(string.IsNullOrEmpty(problem.Title));
        return problem;
    }
}
