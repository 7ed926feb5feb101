using System.Globalization;
using System.Text.Json;
using Assay.Server.Tests.Support;

namespace Assay.Server.Tests;

/// <summary>OpenRLHF's remote reward contract, and the operational endpoints.</summary>
[Collection(SandboxCollection.Name)]
public sealed class OpenRlhfAndOperationsTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Prompt = "<|user|>Write add(a, b).<|assistant|>";
    private static readonly string Label = JsonSerializer.Serialize(new { assert_case = new[] { "assert add(1, 2) == 3", "assert add(2, 2) == 4" } });

    [SandboxFact]
    public async Task Rewards_are_aligned_with_queries_and_the_prompt_is_cut_off_first()
    {
        var client = factory.CreateClient();
        // The prompt itself holds a (wrong) fenced block: only the response after it may be judged.
        var prompt = Prompt + "Example:\n```python\ndef add(a, b):\n    return 0\n```\n";
        var right = prompt + "```python\ndef add(a, b):\n    return a + b\n```";
        var half = prompt + "```python\ndef add(a, b):\n    return 4\n```";
        var (status, body, _) = await Json.PostAsync(client, "/get_reward?preset=fraction", new
        {
            query = new[] { right, half, prompt + "I cannot." },
            prompts = new[] { prompt, prompt, prompt },
            labels = new[] { Label, Label, Label },
        });
        Assert.Equal(200, status);
        Assert.Equal([1.0, 0.5, 0.0], body.GetProperty("rewards").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal([1.0, 0.5, 0.0], body.GetProperty("scores").EnumerateArray().Select(e => e.GetDouble()));
        Assert.Equal([2.0, 1.0, 0.0], body.GetProperty("extra_logs").GetProperty("tests_passed").EnumerateArray().Select(e => e.GetDouble()));
    }

    [SandboxFact]
    public async Task An_infra_failure_is_a_503_to_retry_never_a_zero_reward()
    {
        var (status, body, response) = await Json.PostAsync(factory.CreateClient(), "/get_reward?deadline_s=0.001", new
        {
            query = new[] { "```python\ndef add(a, b):\n    return a + b\n```" },
            labels = new[] { Label },
        });
        Assert.Equal(503, status);
        Assert.Contains("deadline_exceeded", body.Str("error"), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.False(body.TryGetProperty("rewards", out _));
    }

    [SandboxFact]
    public async Task Misaligned_lists_get_400()
    {
        var (status, body, _) = await Json.PostAsync(factory.CreateClient(), "/get_reward", new { query = new[] { "a", "b" }, labels = new[] { Label } });
        Assert.Equal(400, status);
        Assert.Contains("1 labels for 2 queries", body.Str("error"), StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task Metrics_count_what_happened_in_prometheus_text_format()
    {
        var client = factory.CreateClient();
        var before = Parse(await client.GetStringAsync("/metrics"));
        var item = new { code = "def f():\n    return 1\n", tests = new { assert_case = new[] { "assert f() == 1" } } };
        var wrong = new { code = "def f():\n    return 2\n", tests = new { assert_case = new[] { "assert f() == 1" } } };
        Assert.Equal(200, (await Json.PostAsync(client, "/v1/score", new { items = new object[] { item, wrong, item } })).Status);
        Assert.Equal(400, (await Json.PostRawAsync(client, "/v1/score", "{}")).Status);
        var response = await client.GetAsync("/metrics");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        var after = Parse(text);

        double Delta(string series) => after.GetValueOrDefault(series) - before.GetValueOrDefault(series);
        Assert.Equal(2, Delta("assay_runs_total{status=\"ok\"}"));
        Assert.Equal(1, Delta("assay_runs_total{status=\"wrong_answer\"}"));
        Assert.Equal(1, Delta("assay_requests_total{endpoint=\"score\",code=\"200\"}"));
        Assert.Equal(1, Delta("assay_requests_total{endpoint=\"score\",code=\"400\"}"));
        Assert.Equal(2, Delta("assay_request_duration_seconds_count{endpoint=\"score\"}"));
        Assert.Equal(after["assay_request_duration_seconds_count{endpoint=\"score\"}"], after["assay_request_duration_seconds_bucket{endpoint=\"score\",le=\"+Inf\"}"]);
        Assert.Equal(0, after["assay_queue_depth"]);
        Assert.Equal(0, after["assay_in_flight"]);
        Assert.Contains("# TYPE assay_request_duration_seconds histogram", text, StringComparison.Ordinal);
        // Every sample line is `name{labels} value`, every family has HELP and TYPE.
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')))
            Assert.Matches(@"^[a-z_]+(\{[a-z_]+=""[^""]*""(,[a-z_]+=""[^""]*"")*\})? -?[0-9.eE+-]+$", line);
    }

    [SandboxFact]
    public async Task Health_and_the_openapi_document_describe_the_service()
    {
        var client = factory.CreateClient();
        using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));
        Assert.Equal("ok", health.RootElement.Str("status"));
        Assert.Equal(2, health.RootElement.Int("sandboxes"));
        using var openapi = JsonDocument.Parse(await client.GetStringAsync("/openapi/v1.json"));
        var paths = openapi.RootElement.GetProperty("paths");
        foreach (var path in new[] { "/v1/score", "/run_code", "/get_reward", "/v1/ping", "/health", "/metrics" })
            Assert.True(paths.TryGetProperty(path, out _), path + " is missing from the OpenAPI document");
        Assert.True(paths.GetProperty("/v1/score").GetProperty("post").GetProperty("responses").TryGetProperty("429", out _));
    }

    private static Dictionary<string, double> Parse(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Where(l => !l.StartsWith('#'))
        .Select(l => (Series: l[..l.LastIndexOf(' ')], Value: double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture)))
        .ToDictionary(x => x.Series, x => x.Value);
}
