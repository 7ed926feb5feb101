using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Assay.Bench.EvalThroughput;
using Assay.Bench.MatrixThroughput;
using Assay.Bench.SandboxOverhead;
using Assay.Bench.ServeLoad;

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
        var root = new RootCommand("Assay benchmarks.") { overhead, EvalThroughputCommand(), ServeLoadCommand(), MatrixThroughputCommand() };

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
        var hostBaseline = new Option<bool>("--host-baseline")
        {
            Description = "Also run the classic harness unsandboxed, as CodeT's users run its evaluator (the target's ratio is against that run).",
        };
        var command = new Command("eval-throughput",
            "Samples/s of the classic human-eval/CodeT harness (in bubblewrap, and on the host) vs `assay eval` cold and on a warm store, and their verdict agreement.")
        {
            problems, samples, limit, skipBaseline, timeout, concurrency, keep, hostBaseline, json,
        };
        command.SetAction((parse, cancellationToken) => EvalThroughputAsync(new EvalThroughputOptions(
            parse.GetValue(problems), parse.GetValue(samples), parse.GetValue(limit), parse.GetValue(skipBaseline), parse.GetValue(timeout),
            parse.GetValue(concurrency), parse.GetValue(keep), parse.GetValue(hostBaseline)), parse.GetValue(json), cancellationToken));
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
        var timeLimit = new Option<double>("--time-limit") { Description = "Per-cell limit in seconds (Assay: CPU; classic: wall clock); CodeT's 0.1 by default.", DefaultValueFactory = _ => Assay.Evaluation.Matrix.MatrixOptions.CodeTTimeLimitSeconds };
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

    private static Command ServeLoadCommand()
    {
        var requests = new Option<int>("--requests") { Description = "Reward requests per round (one item each).", DefaultValueFactory = _ => 20_000 };
        var clients = new Option<int>("--clients") { Description = "Concurrent clients.", DefaultValueFactory = _ => 256 };
        var loops = new Option<int>("--loops-per-mille") { Description = "Infinite loops per 1,000 requests (and as many memory bombs).", DefaultValueFactory = _ => 5 };
        var limit = new Option<double>("--time-limit") { Description = "Per-test CPU limit, seconds.", DefaultValueFactory = _ => 1.0 };
        var rounds = new Option<int>("--rounds") { Description = "Rounds against the same server (memory growth across them).", DefaultValueFactory = _ => 2 };
        var concurrency = new Option<int>("--concurrency") { Description = "Sandboxes (server and in-process alike).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var minutes = new Option<double>("--max-minutes") { Description = "Stop the whole benchmark after this long.", DefaultValueFactory = _ => 40 };
        var skip = new Option<bool>("--skip-in-process") { Description = "Do not judge the same items in one process for comparison." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the report." };
        var command = new Command("serve-load",
            "Reward requests against a real `assay serve` on loopback (mixed correct/wrong/looping/memory-hungry completions) vs the same items in one process.")
        {
            requests, clients, loops, limit, rounds, concurrency, minutes, skip, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var options = new ServeLoadOptions(parse.GetValue(requests), parse.GetValue(clients), parse.GetValue(loops), parse.GetValue(limit),
                parse.GetValue(rounds), parse.GetValue(concurrency), parse.GetValue(minutes), parse.GetValue(skip));
            if (options.Requests < 1 || options.Clients < 1 || options.Rounds < 1 || options.Concurrency < 1 || options.LoopsPerMille is < 0 or > 500
                || options.TimeLimitSeconds is <= 0 or > 60 || options.MaxMinutes <= 0)
            {
                await Console.Error.WriteLineAsync("assay-bench: --requests, --clients, --rounds, --concurrency at least 1; --loops-per-mille 0..500; --time-limit in (0, 60]");
                return BadUsage;
            }
            try
            {
                var result = await ServeLoadBenchmark.RunAsync(options, Console.Error, cancellationToken);
                await Console.Out.WriteLineAsync(parse.GetValue(json) ? JsonSerializer.Serialize(result, JsonOptions) : ServeLoadText.Render(result));
                return Success;
            }
            catch (BenchmarkException ex)
            {
                await Console.Error.WriteLineAsync("assay-bench: " + ex.Message);
                return Failed;
            }
        });
        return command;
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
