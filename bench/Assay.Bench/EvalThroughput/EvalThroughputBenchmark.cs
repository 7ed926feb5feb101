using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Assay.Bench.Measurement;
using Assay.Execution.Sandboxing;

namespace Assay.Bench.EvalThroughput;

/// <summary>What `eval-throughput` was asked to do.</summary>
/// <param name="Problems">The problem file, or null for CodeT's HumanEval file in the shared data.</param>
/// <param name="Samples">The CodeT samples file, or null for CodeGen-16B's 100 samples per HumanEval problem.</param>
/// <param name="BaselineLimit">Keep only the first N problem records of the samples file (both sides read the cut file).</param>
/// <param name="SkipBaseline">Run Assay only.</param>
/// <param name="BaselineTimeoutSeconds">The classic harness's per-program wall-clock limit.</param>
/// <param name="Concurrency">Assay's sandboxes at once, and the baseline's pool workers.</param>
/// <param name="KeepFiles">Keep the work directory (inputs, both sides' per-sample results, the baseline's stderr, the store).</param>
/// <param name="HostBaseline">Also run the classic harness unsandboxed, as CodeT's users run its evaluator.</param>
internal sealed record EvalThroughputOptions(string? Problems, string? Samples, int? BaselineLimit, bool SkipBaseline,
    double BaselineTimeoutSeconds, int Concurrency, bool KeepFiles, bool HostBaseline = false);

/// <summary>
/// Issue 3: how much faster Assay scores a sample file than the classic harness, and whether they agree.
/// One run: the classic human-eval/CodeT harness in bubblewrap; Assay cold (no store); Assay filling an empty
/// SQLite store; Assay again on that store (a re-run). Then per-sample verdicts are compared.
/// </summary>
internal static class EvalThroughputBenchmark
{
    public const double TargetSpeedUp = 20.0;

    private static readonly int[] Ks = [1, 10, 100];

    private const string DefaultProblems = "codet/HumanEval_for_code_generation.jsonl";
    private const string DefaultSamples = "samples/codet/HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_code_solution.jsonl";

    public static async Task<EvalThroughputResult> RunAsync(EvalThroughputOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var started = DateTimeOffset.UtcNow;
        var root = RepositoryRoot();
        var sharedData = Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
        var problems = Path.GetFullPath(options.Problems ?? Path.Combine(sharedData, DefaultProblems));
        var samples = Path.GetFullPath(options.Samples ?? Path.Combine(sharedData, DefaultSamples));
        var script = Path.Combine(root, "bench", "baselines", "classic_eval.py");
        foreach (var file in new[] { problems, samples, script })
            if (!File.Exists(file)) throw new BenchmarkException("not found: " + file);

        var source = await SourceStateAsync(root, cancellationToken);
        var host = SandboxHost.Probe().Host ?? throw new BenchmarkException("the sandbox is unavailable");
        var machine = MachineInfo.Read(host.BubblewrapPath, host.DropsPrivileges);
        var work = Directory.CreateTempSubdirectory("assay-bench-eval-");
        var keep = options.KeepFiles;
        try
        {
            var samplesUsed = options.BaselineLimit is { } limit ? await CutAsync(samples, limit, work.FullName, cancellationToken) : samples;
            await progress.WriteLineAsync($"work directory: {work.FullName}");

            BaselineRun? baseline = null;
            if (!options.SkipBaseline)
            {
                await progress.WriteLineAsync("baseline: the classic harness in bubblewrap (stderr to a file; this is the slow part)");
                baseline = await ClassicBaseline.RunAsync(host.BubblewrapPath, script, problems, samplesUsed, work.FullName,
                    options.BaselineTimeoutSeconds, options.Concurrency, Ks, progress, cancellationToken);
                await progress.WriteLineAsync($"baseline: {baseline.Samples} samples in {baseline.WallSeconds:F1} s ({baseline.SamplesPerSecond:F1}/s)");
            }
            BaselineRun? hostBaseline = null;
            if (options.HostBaseline && !options.SkipBaseline)
            {
                await progress.WriteLineAsync("baseline: the classic harness on the host, unsandboxed (as CodeT's evaluator is run)");
                hostBaseline = await ClassicBaseline.RunAsync(null, script, problems, samplesUsed, work.FullName,
                    options.BaselineTimeoutSeconds, options.Concurrency, Ks, progress, cancellationToken);
                await progress.WriteLineAsync($"baseline (host): {hostBaseline.Samples} samples in {hostBaseline.WallSeconds:F1} s");
            }
            var costs = await ProcessCosts.MeasureAsync(root, host.BubblewrapPath, cancellationToken);
            await progress.WriteLineAsync($"process costs: {costs}");

            var storePath = Path.Combine(work.FullName, "verdicts.db");
            await progress.WriteLineAsync("assay: cold run (NoVerdictStore)");
            var cold = await AssayEvaluation.RunAsync(problems, samplesUsed, null, "none", options.Concurrency, Ks, cancellationToken);
            await progress.WriteLineAsync($"assay: cold {cold.Samples} samples in {cold.TotalSeconds:F1} s ({cold.SamplesPerSecond:F1}/s)");
            await progress.WriteLineAsync("assay: filling an empty SQLite store");
            var fill = await AssayEvaluation.RunAsync(problems, samplesUsed, storePath, "sqlite-empty", options.Concurrency, Ks, cancellationToken);
            await progress.WriteLineAsync($"assay: fill {fill.TotalSeconds:F1} s; warm re-run on that store");
            var warm = await AssayEvaluation.RunAsync(problems, samplesUsed, storePath, "sqlite-warm", options.Concurrency, Ks, cancellationToken);
            await progress.WriteLineAsync($"assay: warm {warm.TotalSeconds:F2} s");

            if (keep)
            {
                await WriteAssayResultsAsync(Path.Combine(work.FullName, "assay-cold.jsonl"), cold, cancellationToken);
                await WriteAssayResultsAsync(Path.Combine(work.FullName, "assay-warm.jsonl"), warm, cancellationToken);
            }

            double? speedUp = baseline is null ? null : Math.Round(baseline.WallSeconds / cold.TotalSeconds, 2);
            double? hostSpeedUp = hostBaseline is null ? null : Math.Round(hostBaseline.WallSeconds / cold.TotalSeconds, 2);
            // The target is against the classic harness as its users run it, when that was measured.
            var headline = hostSpeedUp ?? speedUp;
            double? judgingSpeedUp = baseline is null ? null : Math.Round(baseline.JudgingSeconds / cold.JudgingSeconds, 2);
            double? cpuRatio = baseline?.Cpu is { } baselineCpu && cold.Cpu.OwnMsPerSample > 0
                ? Math.Round(baselineCpu.OwnMsPerSample / cold.Cpu.OwnMsPerSample, 2)
                : null;
            return new EvalThroughputResult(
                "eval-throughput",
                started,
                CommandLine(options),
                source,
                machine,
                MachineInfo.ReadLoadAverage(),
                new EvalThroughputSettings(problems, samples, samplesUsed, options.BaselineLimit, options.SkipBaseline,
                    options.BaselineTimeoutSeconds, options.Concurrency, options.Concurrency, AssayEvaluation.Isolation.ToString().ToLowerInvariant()),
                baseline,
                cold,
                fill,
                warm,
                speedUp,
                judgingSpeedUp,
                cpuRatio,
                TargetSpeedUp,
                headline is null ? null : headline >= TargetSpeedUp,
                baseline is null ? null : VerdictComparison.Compare(baseline, cold),
                VerdictComparison.CountDifferent(cold, warm),
                keep ? work.FullName : null)
            {
                HostBaseline = hostBaseline,
                HostSpeedUp = hostSpeedUp,
                HostAgreement = hostBaseline is null ? null : VerdictComparison.Compare(hostBaseline, cold),
                ProcessCosts = costs,
            };
        }
        catch (BenchmarkException)
        {
            keep = true;
            await progress.WriteLineAsync($"kept the work directory for inspection: {work.FullName}");
            throw;
        }
        finally
        {
            if (!keep) work.Delete(recursive: true);
        }
    }

    /// <summary>The first <paramref name="records"/> non-empty lines (one problem each in CodeT's layout), in a file of their own.</summary>
    private static async Task<string> CutAsync(string samples, int records, string workDirectory, CancellationToken cancellationToken)
    {
        var input = Directory.CreateDirectory(Path.Combine(workDirectory, "input")).FullName;
        var name = Path.GetFileNameWithoutExtension(samples) + $"_first{records}.jsonl";
        var path = Path.Combine(input, name);
        var lines = File.ReadLines(samples).Where(l => l.Trim().Length > 0).Take(records).ToList();
        await File.WriteAllLinesAsync(path, lines, cancellationToken);
        return path;
    }

    private static async Task WriteAssayResultsAsync(string path, AssayRun run, CancellationToken cancellationToken)
    {
        var options = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var text = new StringBuilder();
        foreach (var ((taskId, completionId), v) in run.Verdicts.OrderBy(p => p.Key.TaskId, StringComparer.Ordinal).ThenBy(p => p.Key.CompletionId))
        {
            text.AppendLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["task_id"] = taskId,
                ["completion_id"] = completionId,
                ["passed"] = v.Passed,
                ["status"] = v.Status,
                ["error"] = v.Error,
                ["isolated"] = v.Isolated,
                ["cpu_time_ms"] = Math.Round(v.CpuTimeMs, 1),
            }, options));
        }
        await File.WriteAllTextAsync(path, text.ToString(), cancellationToken);
    }

    /// <summary>The directory holding Assay.slnx: from the current directory up, then from the binary's directory up.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
                if (File.Exists(Path.Combine(directory.FullName, "Assay.slnx"))) return directory.FullName;
        }
        throw new BenchmarkException("cannot find the repository (Assay.slnx) from the current directory or the binary");
    }

    /// <summary>What Assay was built from: the commit, and any uncommitted edits to what decides its speed and verdicts.</summary>
    private static async Task<SourceState> SourceStateAsync(string root, CancellationToken cancellationToken)
    {
        var commit = (await GitAsync(root, ["rev-parse", "--short", "HEAD"], cancellationToken))?.Trim();
        var status = await GitAsync(root, ["status", "--porcelain", "--", "src", "native", "toolchains"], cancellationToken);
        return new SourceState(
            string.IsNullOrEmpty(commit) ? "unknown" : commit,
            status?.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? ["unknown"]);
    }

    private static async Task<string?> GitAsync(string root, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add("-C");
        psi.ArgumentList.Add(root);
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(psi);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            _ = await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            return process.ExitCode == 0 ? await output : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static string CommandLine(EvalThroughputOptions o)
    {
        var command = new StringBuilder("dotnet run -c Release --project bench/Assay.Bench -- eval-throughput");
        if (o.Problems is not null) command.Append(" --problems ").Append(o.Problems);
        if (o.Samples is not null) command.Append(" --samples ").Append(o.Samples);
        if (o.BaselineLimit is { } limit) command.Append(" --baseline-limit ").Append(limit.ToString(CultureInfo.InvariantCulture));
        if (o.SkipBaseline) command.Append(" --skip-baseline");
        if (o.BaselineTimeoutSeconds != 3.0)
            command.Append(" --baseline-timeout ").Append(o.BaselineTimeoutSeconds.ToString(CultureInfo.InvariantCulture));
        if (o.Concurrency != Environment.ProcessorCount) command.Append(" --concurrency ").Append(o.Concurrency.ToString(CultureInfo.InvariantCulture));
        if (o.KeepFiles) command.Append(" --keep-files");
        if (o.HostBaseline) command.Append(" --host-baseline");
        return command.ToString();
    }
}
