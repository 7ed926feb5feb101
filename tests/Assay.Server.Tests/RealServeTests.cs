using System.Net.Http.Json;
using System.Text.Json;
using Assay.Server.Tests.Support;

namespace Assay.Server.Tests;

/// <summary>The real `assay serve` process on loopback: Kestrel, the CLI verb, signals.</summary>
[Collection(SandboxCollection.Name)]
public sealed class RealServeTests
{
    private static object Items(int n, string code, double limit) => new
    {
        items = Enumerable.Range(0, n).Select(i => new { id = $"s-{i}", code = code + $"\n# {i}\n", tests = new { assert_case = new[] { "assert f() == 1" } } }).ToArray(),
        limits = new { time_limit_s = limit },
    };

    [SandboxFact]
    public async Task Serves_every_endpoint_family_over_loopback()
    {
        await using var server = await AssayServeProcess.StartAsync("--max-request-mb", "1");
        using var client = new HttpClient { BaseAddress = server.Address };
        Assert.Equal("127.0.0.1", server.Address.Host);
        var score = await client.PostAsJsonAsync("/v1/score", Items(3, "def f():\n    return 1", 2));
        Assert.Equal(200, (int)score.StatusCode);
        using var scored = JsonDocument.Parse(await score.Content.ReadAsStringAsync());
        Assert.All(scored.RootElement.GetProperty("results").EnumerateArray(), r => Assert.Equal(1.0, r.GetProperty("score").GetDouble()));

        var run = await client.PostAsJsonAsync("/run_code", new { code = "print(input()[::-1])", language = "python", stdin = "abc" });
        using var ran = JsonDocument.Parse(await run.Content.ReadAsStringAsync());
        Assert.Equal("Success", ran.RootElement.Str("status"));
        Assert.Equal("cba\n", ran.RootElement.GetProperty("run_result").Str("stdout"));

        var reward = await client.PostAsJsonAsync("/get_reward", new { query = new[] { "```python\ndef f():\n    return 2\n```" }, labels = new[] { new { assert_case = new[] { "assert f() == 1" } } } });
        using var rewarded = JsonDocument.Parse(await reward.Content.ReadAsStringAsync());
        Assert.Equal(0.0, rewarded.RootElement.GetProperty("rewards")[0].GetDouble());
        Assert.Contains("assay_runs_total", await client.GetStringAsync("/metrics"), StringComparison.Ordinal);

        // A streamed (chunked) body past --max-request-mb is stopped by Kestrel while it is read: 413.
        var big = await client.PostAsJsonAsync("/v1/score", Items(1, new string('#', 2 * 1024 * 1024), 1));
        Assert.Equal(413, (int)big.StatusCode);
        Assert.Contains("larger than this server accepts", await big.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task Sigterm_finishes_admitted_work_and_refuses_new_requests_before_exiting()
    {
        await using var server = await AssayServeProcess.StartAsync("--drain-timeout", "30");
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
        // Four candidates that loop until their 1.5 s limit: about three seconds of work on two sandboxes.
        var slow = client.PostAsJsonAsync("/v1/score", Items(4, "def f():\n    while True:\n        pass", 1.5));
        for (var i = 0; i < 100; i++)
        {
            using var health = JsonDocument.Parse(await client.GetStringAsync("/health"));
            if (health.RootElement.GetProperty("queued").GetInt64() + health.RootElement.GetProperty("running").GetInt64() > 0) break;
            await Task.Delay(20);
        }
        server.Terminate();
        await Task.Delay(300);
        // A new request is not taken on: the listener is closed, or (on a connection still open) the answer is 503.
        using (var fresh = new HttpClient { BaseAddress = server.Address })
        {
            try
            {
                var refused = await fresh.PostAsJsonAsync("/v1/score", Items(1, "def f():\n    return 1", 1));
                Assert.Equal(503, (int)refused.StatusCode);
                Assert.NotNull(refused.Headers.RetryAfter);
            }
            catch (HttpRequestException ex) when (ex.InnerException is System.Net.Sockets.SocketException)
            {
                // Connection refused: the server stopped listening, as it should on SIGTERM.
            }
        }

        var answer = await slow;
        Assert.Equal(200, (int)answer.StatusCode);
        using var body = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
        Assert.All(body.RootElement.GetProperty("results").EnumerateArray(), r =>
        {
            Assert.Equal("time_limit", r.Str("status"));
            Assert.False(r.Bool("infra_error"));
        });
        Assert.Equal(0, await server.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("assay serve: stopped", server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_options_exit_with_code_2()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Cli.AssayApp.RunAsync(["serve", "--port", "70000"], Cli.CliConsole.Capture(stdout, stderr));
        Assert.Equal(2, exit);
        Assert.Contains("Assay:Port (--port) must be between 0 and 65535, not 70000", stderr.ToString(), StringComparison.Ordinal);
    }
}
