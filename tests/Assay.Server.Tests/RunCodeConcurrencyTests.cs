using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Assay.Server.Tests.Support;

namespace Assay.Server.Tests;

/// <summary>
/// verl's own concurrency test against a real `assay serve` at its default settings: a hundred runs sent at
/// once that outlast their limit, as verl's client sends and reads them. Runs that wait hold a sandbox but no
/// core, so they must not queue behind the cores; and verl scores an API error as a wrong answer.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RunCodeConcurrencyTests
{
    /// <summary>verl's `call_sandbox_api` defaults (verl/utils/reward_score/sandbox_fusion/utils.py).</summary>
    private const int RunTimeout = 10;
    private const int CompileTimeout = 10;

    /// <summary>
    /// One test case as verl's client makes it: the request times out after compile + run + 10 s; only a 504 is
    /// retried, three attempts in all, 1 s then 2 s apart. Returns the answer, or null for what verl calls an
    /// API error (-1).
    /// </summary>
    private static async Task<JsonElement?> VerlCallAsync(HttpClient http, string code)
    {
        var body = new Dictionary<string, object?>
        {
            ["compile_timeout"] = CompileTimeout, ["run_timeout"] = RunTimeout, ["code"] = code, ["stdin"] = "",
            ["memory_limit_MB"] = 1024, ["language"] = "python", ["files"] = new Dictionary<string, string>(), ["fetch_files"] = Array.Empty<string>(),
        };
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(CompileTimeout + RunTimeout + 10));
            try
            {
                using var response = await http.PostAsJsonAsync("/run_code", body, timeout.Token);
                if (response.StatusCode == HttpStatusCode.GatewayTimeout)
                {
                    if (attempt < 2) await Task.Delay(TimeSpan.FromSeconds(attempt + 1));
                    continue;
                }
                if (!response.IsSuccessStatusCode) return null;
                return JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token)).RootElement.Clone();
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
            {
                return null;
            }
        }
        return null;
    }

    [SandboxFact]
    public async Task A_hundred_runs_that_outlast_their_limit_sent_at_once_are_all_answered_as_time_outs()
    {
        await using var server = await AssayServeProcess.StartWithDefaultsAsync();
        using var http = new HttpClient { BaseAddress = server.Address, Timeout = Timeout.InfiniteTimeSpan };
        // Half sleep past the limit (no CPU at all), half spin (all the CPU they get): both must end at run_timeout.
        var programs = Enumerable.Range(0, 100)
            .Select(i => i % 2 == 0 ? $"import time\ntime.sleep(60)  # {i}\n" : $"while True:\n    pass  # {i}\n").ToList();
        var clock = Stopwatch.StartNew();
        var runs = programs.Select(code => VerlCallAsync(http, code)).ToList();
        var allRuns = Task.WhenAll(runs);

        // Meanwhile a reward item is judged in the sandboxes /run_code cannot take.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var scored = await http.PostAsJsonAsync("/v1/score", new
        {
            items = new[] { new { code = "def f():\n    return 1\n", tests = new { assert_case = new[] { "assert f() == 1" } } } },
        });
        Assert.False(allRuns.IsCompleted, "the reward item waited for the runs to finish");
        using (var score = JsonDocument.Parse(await scored.Content.ReadAsStringAsync()))
            Assert.Equal(1.0, score.RootElement.GetProperty("results")[0].GetProperty("score").GetDouble());

        var answers = await allRuns;
        var elapsed = clock.Elapsed;
        Assert.Equal(0, answers.Count(a => a is null));
        // verl's code for each: -3, a time-out (status Failed, run_result TimeLimitExceeded).
        Assert.All(answers, a =>
        {
            Assert.Equal("Failed", a!.Value.GetProperty("status").GetString());
            Assert.Equal("TimeLimitExceeded", a.Value.GetProperty("run_result").GetProperty("status").GetString());
        });
        // 64 sandboxes by default: two waves of ten seconds, not fifty (one per core).
        Assert.True(elapsed < TimeSpan.FromSeconds(60), $"took {elapsed.TotalSeconds:F0} s");
    }
}
