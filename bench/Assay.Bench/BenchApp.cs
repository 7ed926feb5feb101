using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Assay.Bench.SandboxOverhead;

namespace Assay.Bench;

/// <summary>
/// `assay-bench`: measurements of Assay's own costs, printed for people (or as JSON). Not tests: nothing
/// here passes or fails on a figure; exit code 1 means a measurement could not be taken at all.
/// </summary>
internal static class BenchApp
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // Read by people and scripts, never embedded in HTML: keep quotes in program text readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var runs = new Option<int>("--runs") { Description = "Runs per throughput measurement (C++ cached runs: a tenth of it).", DefaultValueFactory = _ => 300 };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Runs in flight at once (default: the number of cores).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with every figure instead of the table." };
        var overhead = new Command("sandbox-overhead",
            "Python start-ups per second bare vs in Assay's sandbox, and a C++ compile-cache miss vs hit.") { runs, concurrency, json };
        overhead.SetAction((parse, cancellationToken) =>
            SandboxOverheadAsync(parse.GetValue(runs), parse.GetValue(concurrency), parse.GetValue(json), cancellationToken));
        var root = new RootCommand("Assay benchmarks.") { overhead };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await Console.Error.WriteLineAsync("assay-bench: " + error.Message);
            await Console.Error.WriteLineAsync("Try `assay-bench --help`.");
            return BadUsage;
        }
        return await parse.InvokeAsync();
    }

    private static async Task<int> SandboxOverheadAsync(int runs, int concurrency, bool json, CancellationToken cancellationToken)
    {
        if (runs < 1 || concurrency < 1)
        {
            await Console.Error.WriteLineAsync("assay-bench: --runs and --concurrency must be at least 1");
            return BadUsage;
        }
        SandboxOverheadResult result;
        try
        {
            result = await SandboxOverheadBenchmark.RunAsync(runs, concurrency, Console.Error, cancellationToken);
        }
        catch (BenchmarkException ex)
        {
            await Console.Error.WriteLineAsync("assay-bench: " + ex.Message);
            return Failed;
        }
        await Console.Out.WriteLineAsync(json ? JsonSerializer.Serialize(result, JsonOptions) : SandboxOverheadText.Render(result));
        return Success;
    }
}
