using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Assay.Bench.EvalThroughput;
using Assay.Bench.MatrixThroughput;
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
        var root = new RootCommand("Assay benchmarks.") { overhead, EvalThroughputCommand(), MatrixThroughputCommand() };

        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await Console.Error.WriteLineAsync("assay-bench: " + error.Message);
            await Console.Error.WriteLineAsync("Try `assay-bench --help`.");
            return BadUsage;
        }
        return await parse.InvokeAsync();
    }

    private static Command EvalThroughputCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object with every figure instead of the report." };
        var problems = new Option<string?>("--problems") { Description = "Problem file (default: ../shared/data/codet/HumanEval_for_code_generation.jsonl from the repository)." };
        var samples = new Option<string?>("--samples")
        {
            Description = "CodeT samples file (default: ../shared/data/samples/codet/HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_code_solution.jsonl).",
        };
        var limit = new Option<int?>("--baseline-limit") { Description = "Only the first N problem records of the samples file (both sides), for quick runs." };
        var skipBaseline = new Option<bool>("--skip-baseline") { Description = "Run Assay only (no speed-up, no agreement)." };
        var timeout = new Option<double>("--baseline-timeout") { Description = "The classic harness's wall-clock limit per program, seconds.", DefaultValueFactory = _ => 3.0 };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Assay's sandboxes at once and the baseline's pool workers (default: the number of cores).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var keep = new Option<bool>("--keep-files") { Description = "Keep the work directory: per-sample results of both sides, the baseline's stderr, the store, result.json." };
        var command = new Command("eval-throughput",
            "Samples/s of the classic human-eval/CodeT harness (in bubblewrap) vs `assay eval` cold and on a warm store, and their verdict agreement.")
        {
            problems, samples, limit, skipBaseline, timeout, concurrency, keep, json,
        };
        command.SetAction((parse, cancellationToken) => EvalThroughputAsync(new EvalThroughputOptions(
            parse.GetValue(problems), parse.GetValue(samples), parse.GetValue(limit), parse.GetValue(skipBaseline), parse.GetValue(timeout),
            parse.GetValue(concurrency), parse.GetValue(keep)), parse.GetValue(json), cancellationToken));
        return command;
    }

    private static Command MatrixThroughputCommand()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object with every figure instead of the report." };
        var problems = new Option<string?>("--problems") { Description = "Problem file (default: ../shared/data/codet/HumanEval_for_code_generation.jsonl)." };
        var samples = new Option<string?>("--samples") { Description = "CodeT code samples (default: CodeGen-16B's HumanEval samples in ../shared/data/samples/codet/)." };
        var tests = new Option<string?>("--tests") { Description = "CodeT generated tests (default: CodeGen-16B's HumanEval test samples in ../shared/data/samples/codet/)." };
        var limit = new Option<int?>("--limit") { Description = "Only the first N problems of the samples file (both sides), for quick runs." };
        var skipBaseline = new Option<bool>("--skip-baseline") { Description = "Run Assay only." };
        var timeLimit = new Option<double>("--time-limit") { Description = "Per-cell limit in seconds (Assay: CPU; classic: wall clock).", DefaultValueFactory = _ => 1.0 };
        var maxTimeouts = new Option<int>("--max-timeouts") { Description = "Timeouts per candidate before its remaining tests are not run (both sides).", DefaultValueFactory = _ => 3 };
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "Assay's sandboxes at once and the baseline's pool workers (default: the number of cores).",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var keep = new Option<bool>("--keep-files") { Description = "Keep the work directory (plan, the baseline's cells and stderr)." };
        var command = new Command("matrix-throughput",
            "Time the whole CodeT execution matrix: Assay's batch judge vs the classic process-per-candidate model (in bubblewrap), same run, same cells.")
        {
            problems, samples, tests, limit, skipBaseline, timeLimit, maxTimeouts, concurrency, keep, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new MatrixThroughputOptions(parse.GetValue(problems), parse.GetValue(samples), parse.GetValue(tests), parse.GetValue(limit),
                parse.GetValue(skipBaseline), parse.GetValue(timeLimit), parse.GetValue(maxTimeouts), parse.GetValue(concurrency), parse.GetValue(keep));
            if (options.Limit is < 1 || options.Concurrency < 1 || options.MaxTimeouts < 1 || options.TimeLimitSeconds is <= 0 or > 600)
            {
                await Console.Error.WriteLineAsync("assay-bench: --limit, --concurrency and --max-timeouts must be at least 1, --time-limit in (0, 600]");
                return BadUsage;
            }
            MatrixThroughputResult result;
            try
            {
                result = await MatrixThroughputBenchmark.RunAsync(options, Console.Error, cancellationToken);
            }
            catch (BenchmarkException ex)
            {
                await Console.Error.WriteLineAsync("assay-bench: " + ex.Message);
                return Failed;
            }
            var serialized = JsonSerializer.Serialize(result, JsonOptions);
            if (result.WorkDirectory is { } kept) await File.WriteAllTextAsync(Path.Combine(kept, "result.json"), serialized + "\n", cancellationToken);
            await Console.Out.WriteLineAsync(parse.GetValue(json) ? serialized : MatrixThroughputText.Render(result));
            return Success;
        });
        return command;
    }

    private static async Task<int> EvalThroughputAsync(EvalThroughputOptions options, bool json, CancellationToken cancellationToken)
    {
        if (options.BaselineLimit is < 1 || options.Concurrency < 1 || options.BaselineTimeoutSeconds is <= 0 or > 600)
        {
            await Console.Error.WriteLineAsync("assay-bench: --baseline-limit and --concurrency must be at least 1, --baseline-timeout in (0, 600]");
            return BadUsage;
        }
        EvalThroughputResult result;
        try
        {
            result = await EvalThroughputBenchmark.RunAsync(options, Console.Error, cancellationToken);
        }
        catch (BenchmarkException ex)
        {
            await Console.Error.WriteLineAsync("assay-bench: " + ex.Message);
            return Failed;
        }
        var serialized = JsonSerializer.Serialize(result, JsonOptions);
        // With --keep-files the JSON is kept too, whichever form was printed.
        if (result.WorkDirectory is { } kept) await File.WriteAllTextAsync(Path.Combine(kept, "result.json"), serialized + "\n", cancellationToken);
        await Console.Out.WriteLineAsync(json ? serialized : EvalThroughputText.Render(result));
        return Success;
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
