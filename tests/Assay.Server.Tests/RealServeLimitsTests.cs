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

    [SandboxFact]
    public async Task Get_reward_for_a_language_without_a_toolchain_is_a_permanent_4xx_not_a_503_to_retry()
    {
        var toolchains = Directory.CreateDirectory(_dir.PathOf("toolchains")).FullName;
        File.WriteAllText(Path.Combine(toolchains, "ghostlang.yaml"), Ghost);
        await using var server = await AssayServeProcess.StartAsync(new Dictionary<string, string> { ["ASSAY_TOOLCHAINS"] = toolchains });
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
}
