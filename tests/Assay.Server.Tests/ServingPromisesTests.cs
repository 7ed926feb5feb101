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

    /// <summary>
    /// Waits until at least <paramref name="items"/> items are admitted (queued or judging, from /metrics), for at most
    /// <paramref name="atMost"/>; says whether they were.
    /// </summary>
    private static async Task<bool> WaitForAdmittedAsync(HttpClient client, int items, TimeSpan atMost)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < atMost)
        {
            var metrics = await client.GetStringAsync("/metrics");
            var admitted = metrics.Split('\n')
                .Where(l => l.StartsWith("assay_queue_depth ", StringComparison.Ordinal) || l.StartsWith("assay_in_flight ", StringComparison.Ordinal))
                .Sum(l => long.Parse(l[(l.IndexOf(' ', StringComparison.Ordinal) + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            if (admitted >= items) return true;
            await Task.Delay(5);
        }
        return false;
    }

    [SandboxFact]
    public async Task A_request_is_answered_when_its_own_items_are_done_not_when_the_batch_it_shared_is()
    {
        var client = factory.CreateClient();
        var clock = Stopwatch.StartNew();
        // Four single-item requests within one batch window, with the same limits (one pipeline call): one loops
        // until its 5 s limit, three are done at once.
        var slow = TimedAsync(client, Request("def f():\n    while True:\n        pass\n", 5), clock);
        var fast = Enumerable.Range(0, 3).Select(_ => TimedAsync(client, Request("def f():\n    return 1\n", 5), clock)).ToList();
        var slowAnswer = await slow;
        var fastAnswers = await Task.WhenAll(fast);

        Assert.Equal(200, slowAnswer.Status);
        Assert.Equal("time_limit", slowAnswer.Body.GetProperty("results")[0].Str("status"));
        Assert.All(fastAnswers, a => Assert.Equal("ok", a.Body.GetProperty("results")[0].Str("status")));
        var lastFast = fastAnswers.Max(a => a.At);
        Assert.True(slowAnswer.At - lastFast >= TimeSpan.FromSeconds(2),
            $"the fast requests were answered at {lastFast.TotalSeconds:F1} s, the slow one at {slowAnswer.At.TotalSeconds:F1} s: they waited for it");
    }

    [SandboxFact]
    public async Task A_request_whose_items_share_a_sandbox_with_a_slow_one_is_answered_before_the_sandbox_ends()
    {
        var client = factory.CreateClient();
        var clock = Stopwatch.StartNew();
        // Sixteen items in one batch window, split evenly over the sandboxes: the first sandbox takes the early
        // request's three and the late one's endless loop, judged after them in the same sandbox. Verdicts leave a sandbox as the
        // harness reports them: the early request does not wait for the loop's 5 s limit (it once did).
        var early = TimedAsync(client, Request("def f():\n    return 1\n", 5, copies: 3), clock);
        // The late request is sent once the early one's items are admitted (a fixed pause once lost that race on a
        // busy CI machine), and within the same batch window.
        Assert.True(await WaitForAdmittedAsync(client, 3, TimeSpan.FromSeconds(2)), "the early request's items were not admitted within 2 s");
        var late = TimedAsync(client, new
        {
            items = new[] { new { id = "loop", code = "def f():\n    while True:\n        pass\n" } }
                .Concat(Enumerable.Range(0, 12).Select(i => new { id = $"i{i}", code = $"def f():\n    return 1\n# {Guid.NewGuid():N}\n" }))
                .Select(item => new { item.id, item.code, tests = new { assert_case = new[] { "assert f() == 1" } } }).ToArray(),
            limits = new { time_limit_s = 5 },
        }, clock);
        var earlyAnswer = await early;
        var lateAnswer = await late;

        var seen = $"early answer at {earlyAnswer.At.TotalSeconds:F1} s: {earlyAnswer.Body}; " +
                   $"late answer at {lateAnswer.At.TotalSeconds:F1} s: {lateAnswer.Body}";
        Assert.True(earlyAnswer.Status == 200, seen);
        Assert.True(earlyAnswer.Body.GetProperty("results").EnumerateArray().All(r => r.Str("status") == "ok"), seen);
        Assert.True(lateAnswer.Body.GetProperty("results")[0].Str("status") == "time_limit", seen);
        Assert.True(lateAnswer.At - earlyAnswer.At >= TimeSpan.FromSeconds(3), "the early request waited for the loop: " + seen);
    }

    [SandboxFact]
    public async Task Items_past_the_deadline_queued_or_running_are_answered_deadline_exceeded_at_the_deadline()
    {
        var client = factory.CreateClient();
        var clock = Stopwatch.StartNew();
        // Twelve one-second loops on two sandboxes: six seconds of work, and a deadline of two.
        var (status, body, at) = await TimedAsync(client, Request(CpuLoop(1), 4, deadline: 2, copies: 12), clock);

        Assert.Equal(200, status);
        Assert.True(at < TimeSpan.FromSeconds(4.5), $"answered after {at.TotalSeconds:F1} s with a 2 s deadline");
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(12, results.Count);
        Assert.All(results, r => Assert.Contains(r.Str("status"), new[] { "ok", "deadline_exceeded" }));
        var late = results.Where(r => r.Str("status") == "deadline_exceeded").ToList();
        Assert.NotEmpty(late);
        Assert.All(late, r =>
        {
            Assert.True(r.Bool("infra_error"));
            Assert.Null(r.Score());
        });
    }

    [SandboxFact]
    public async Task A_large_allowed_program_takes_time_in_proportion_to_its_size()
    {
        var client = factory.CreateClient();
        // 40 MB of comments after a right answer. Read line by line, a candidate's request was copied and searched
        // once per pipe read (quadratic: about 10 s here), and the 2 s limit's load timer ran out first.
        var padding = string.Concat(Enumerable.Repeat("# " + new string('x', 60) + "\n", 40 * 1024 * 1024 / 63));
        var clock = Stopwatch.StartNew();
        var (status, body, at) = await TimedAsync(client, Request("def f():\n    return 1\n" + padding, 2), clock);

        Assert.Equal(200, status);
        var result = body.GetProperty("results")[0];
        Assert.Equal("ok", result.Str("status"));
        Assert.Equal(1.0, result.Score());
        Assert.True(at < TimeSpan.FromSeconds(30), $"a 40 MB program took {at.TotalSeconds:F1} s");
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
