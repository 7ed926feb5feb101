using System.Net.Http.Json;
using System.Text.Json;
using Assay.Server.Tests.Support;

namespace Assay.Server.Tests;

/// <summary>The real `assay serve` process: what is permanent is said as such, and the per-item source limit.</summary>
[Collection(SandboxCollection.Name)]
public sealed class RealServeLimitsTests : IDisposable
{
    /// <summary>A language whose only tool is nowhere on this host: its toolchain is missing, and stays so.</summary>
    private const string Ghost = """
        name: ghostlang
        display_name: Ghost
        source_file: main.ghost
        tools:
          ghost:
            candidates: [/nonexistent/ghost]
            install: apt-get install ghost
        version: ["{ghost}", "--version"]
        run: ["{ghost}", "main.ghost"]
        fence_tags: [ghost]
        """;

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>The real server with the ghost language's toolchain file on `$ASSAY_TOOLCHAINS`.</summary>
    private Task<AssayServeProcess> StartWithGhostAsync()
    {
        var toolchains = Directory.CreateDirectory(_dir.PathOf("toolchains")).FullName;
        File.WriteAllText(Path.Combine(toolchains, "ghostlang.yaml"), Ghost);
        return AssayServeProcess.StartAsync(new Dictionary<string, string> { ["ASSAY_TOOLCHAINS"] = toolchains });
    }

    [SandboxFact]
    public async Task Get_reward_for_a_language_without_a_toolchain_is_a_permanent_4xx_not_a_503_to_retry()
    {
        await using var server = await StartWithGhostAsync();
        using var client = new HttpClient { BaseAddress = server.Address };

        var response = await client.PostAsJsonAsync("/get_reward?language=ghostlang", new
        {
            query = new[] { "```ghost\nprint 1\n```" },
            labels = new[] { new[] { new { input = "", output = "1\n" } } },
        });
        var text = await response.Content.ReadAsStringAsync();

        // OpenRLHF retries whatever fails; a 4xx with the reason says that retrying cannot help.
        Assert.Equal(422, (int)response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        using var error = JsonDocument.Parse(text);
        Assert.Contains("ghostlang", error.RootElement.Str("error"), StringComparison.Ordinal);
        Assert.Contains("no toolchain", error.RootElement.Str("error"), StringComparison.OrdinalIgnoreCase);
    }

    [SandboxFact]
    public async Task Score_with_an_item_in_a_language_without_a_toolchain_is_a_422_naming_the_item_and_nothing_is_judged()
    {
        await using var server = await StartWithGhostAsync();
        using var client = new HttpClient { BaseAddress = server.Address };

        var response = await client.PostAsJsonAsync("/v1/score", new
        {
            items = new object[]
            {
                new { id = "fine", code = "def f():\n    return 1\n", tests = new { assert_case = new[] { "assert f() == 1" } } },
                new { id = "ghost", language = "ghostlang", code = "print 1", tests = new { inputs = new[] { "" }, outputs = new[] { "1\n" } } },
            },
        });
        var text = await response.Content.ReadAsStringAsync();

        // Per-item `infra_error` would tell the client to try again; a missing toolchain is permanent on this host.
        Assert.True((int)response.StatusCode == 422, text);
        Assert.Null(response.Headers.RetryAfter);
        using var error = JsonDocument.Parse(text);
        var message = error.RootElement.Str("error");
        Assert.StartsWith("items[1].language:", message, StringComparison.Ordinal);
        Assert.Contains("no toolchain for ghostlang", message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/ghost", message, StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task A_program_over_the_source_limit_gets_its_own_status_and_is_not_run()
    {
        await using var server = await AssayServeProcess.StartAsync("--max-source-kb", "64");
        using var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
        var padding = string.Concat(Enumerable.Repeat("# " + new string('x', 60) + "\n", 100 * 1024 / 63));
        var right = "def f():\n    return 1\n";
        var tests = new { assert_case = new[] { "assert f() == 1" } };

        var score = await client.PostAsJsonAsync("/v1/score", new
        {
            items = new object[]
            {
                new { id = "big", code = right + padding, tests },
                new { id = "big-completion", completion = "```python\n" + right + padding + "```\n", tests },
                new { id = "small", code = right + padding[..(30 * 1024)], tests },
            },
        });
        Assert.Equal(200, (int)score.StatusCode);
        using var scored = JsonDocument.Parse(await score.Content.ReadAsStringAsync());
        var results = scored.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.All(results[..2], r =>
        {
            Assert.Equal("source_too_large", r.Str("status"));
            // The completion's fault, scored as a failure like a completion with no code: not an infra error.
            Assert.Equal(0.0, r.Score());
            Assert.False(r.Bool("infra_error"));
            Assert.Contains("65536 bytes", r.Str("error"), StringComparison.Ordinal);
        });
        Assert.Equal("ok", results[2].Str("status"));

        var reward = await client.PostAsJsonAsync("/get_reward", new { query = new[] { "```python\n" + right + padding + "```\n" }, labels = new[] { tests } });
        Assert.Equal(200, (int)reward.StatusCode);
        using var rewarded = JsonDocument.Parse(await reward.Content.ReadAsStringAsync());
        Assert.Equal(0.0, rewarded.RootElement.GetProperty("rewards")[0].GetDouble());

        var run = await client.PostAsJsonAsync("/run_code", new { code = "print(1)\n" + padding, language = "python" });
        Assert.Equal(413, (int)run.StatusCode);
        using var refused = JsonDocument.Parse(await run.Content.ReadAsStringAsync());
        Assert.Contains("--max-source-kb", refused.RootElement.Str("error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_source_limit_is_refused_naming_the_flag()
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await Cli.AssayApp.RunAsync(["serve", "--max-source-kb", "0"], Cli.CliConsole.Capture(stdout, stderr));
        Assert.Equal(2, exit);
        Assert.Contains("Assay:MaxSourceBytes (--max-source-kb) must be", stderr.ToString(), StringComparison.Ordinal);
    }
}
