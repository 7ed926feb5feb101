using System.Diagnostics;
using System.Text.Json;
using Assay.Server.Tests.Support;

namespace Assay.Server.Tests;

/// <summary>
/// A server that collects items for 200 ms before judging them (so that concurrent requests surely share a batch)
/// and takes programs of up to 48 MB.
/// </summary>
public sealed class BatchingServerFactory() : ServerFactory(new Dictionary<string, string>
{
    ["Assay:BatchWindow"] = "00:00:00.200",
    ["Assay:MaxSourceBytes"] = (48 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
});

/// <summary>
/// What a trainer is promised about each request's answer (docs/RELIABILITY.md, "Serving and shutdown"): it comes
/// when the request's own items are done, not when the batch it shared is; at its deadline at the latest; large
/// allowed programs cost time in proportion to their size; every error has the error object.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class ServingPromisesTests(BatchingServerFactory factory) : IClassFixture<BatchingServerFactory>
{
    private static object Request(string code, double timeLimit, double? deadline = null, int copies = 1) => new
    {
        items = Enumerable.Range(0, copies).Select(i => new { id = $"i{i}", code = code + $"\n# {Guid.NewGuid():N} {i}\n", tests = new { assert_case = new[] { "assert f() == 1" } } }).ToArray(),
        limits = new { time_limit_s = timeLimit },
        deadline_s = deadline,
    };

    /// <summary>A loop of <paramref name="seconds"/> of CPU time, then the right answer.</summary>
    private static string CpuLoop(double seconds) =>
        $"import time\ndef f():\n    t = time.process_time()\n    while time.process_time() - t < {seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}:\n        pass\n    return 1\n";

    private static async Task<(int Status, JsonElement Body, TimeSpan At)> TimedAsync(HttpClient client, object body, Stopwatch clock)
    {
        var (status, answer, _) = await Json.PostAsync(client, "/v1/score", body);
        return (status, answer, clock.Elapsed);
    }

    [SandboxTheory]
    [InlineData("POST", "/v1/score", "text/plain", 415, "Content-Type")]
    [InlineData("POST", "/get_reward", "text/plain", 415, "Content-Type")]
    [InlineData("POST", "/no/such/endpoint", "application/json", 404, "/no/such/endpoint")]
    [InlineData("GET", "/v1/score", null, 405, "GET")]
    public async Task Every_error_status_has_the_error_object(string method, string path, string? contentType, int expected, string mentioned)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (contentType is not null) request.Content = new StringContent("{\"items\": []}", System.Text.Encoding.UTF8, contentType);
        using var response = await factory.CreateClient().SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(expected, (int)response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        using var error = JsonDocument.Parse(text);
        Assert.Contains(mentioned, error.RootElement.Str("error"), StringComparison.Ordinal);
    }
}
