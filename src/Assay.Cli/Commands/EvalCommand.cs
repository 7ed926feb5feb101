using System.CommandLine;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;
using Assay.Cli.Output;
using Assay.Cli.Rendering;
using Assay.Core.Metrics;
using Assay.Core.Evaluation;
using Assay.Core.Problems;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;
using Assay.Evaluation;
using Assay.Execution.Judging;
using Assay.Execution.Running;
using Assay.Execution.Toolchains;
using Assay.Storage.Sqlite;
using Spectre.Console;

namespace Assay.Cli.Commands;

/// <summary>`assay eval`: score a model's samples on a benchmark.</summary>
internal static class EvalCommand
{
    private const string DefaultKs = "1,10,100";

    public static Command Build(CliConsole console)
    {
        var problems = new Option<FileInfo>("--problems", "-p") { Description = "Problem file (.jsonl or .jsonl.gz).", Required = true };
        var samples = new Option<FileInfo?>("--samples", "-s") { Description = "Samples file (.jsonl or .jsonl.gz)." };
        var canonical = new Option<bool>("--canonical") { Description = "Judge the problem file's own canonical solutions as the samples (checks a dataset); instead of --samples." };
        var ks = new Option<string?>("--k") { Description = "Comma-separated k for pass@k (default 1,10,100; only k ≤ samples per problem are reported)." };
        var requireAll = new Option<bool>("--require-all") { Description = "Exit 2 before judging unless every problem has samples and every --k can be reported." };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Results file (default: SAMPLES_results.jsonl beside the samples)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the figures." };
        var store = new Option<FileInfo?>("--store") { Description = "Verdict store (SQLite; default ~/.cache/assay/verdicts.db)." };
        var noStore = new Option<bool>("--no-store") { Description = "Do not read or write stored verdicts." };
        var problemFormat = new EnumOption<ProblemFormat>("--problems-format", "Problem file format (`assay formats` lists them).", ProblemFormat.Auto);
        var sampleFormat = new EnumOption<SampleFormat>("--samples-format", "Samples file format.", SampleFormat.Auto);
        var isolation = new EnumOption<JudgeIsolation>("--isolation", "batch (fast; anything unusual is re-judged alone) or strict (a sandbox per program).", JudgeIsolation.Batch);
        var timeLimit = new Option<double?>("--time-limit") { Description = "Fixed per-test CPU limit in seconds (default: calibrated from reference solutions)." };
        var floor = new Option<double?>("--time-limit-floor") { Description = "Smallest calibrated per-test limit in seconds (default: the data set's harness floor, EvalPlus 4 s; else 0.05)." };
        var badRecords = new EnumOption<BadRecordPolicy>("--on-bad-record", "stop at the first malformed line, or skip (and report) it.", BadRecordPolicy.Stop);
        var concurrency = new Option<int?>("--concurrency", "-j") { Description = "Sandboxes at once (default: cores)." };
        var selection = new ProblemSelection.Options();
        var language = new Option<string?>("--language", "-l") { Description = "Language of the samples for stdin/stdout problems (any alias; a sample's own `language` field wins)." };
        var command = new Command("eval", "Score samples against a benchmark's tests: pass@k, per-sample verdicts, a results file.")
        {
            problems, samples, canonical, ks, requireAll, output, json, store, noStore, problemFormat.Option, sampleFormat.Option, isolation.Option, timeLimit, floor, badRecords.Option, concurrency, language, selection.Limit, selection.TaskIds,
        };
        command.SetAction((parse, cancellationToken) => ExecuteAsync(console, new EvalArguments(
            parse.GetValue(problems)!, parse.GetValue(samples), parse.GetValue(canonical), parse.GetValue(ks), parse.GetValue(requireAll), parse.GetValue(output), parse.GetValue(json),
            parse.GetValue(store), parse.GetValue(noStore), problemFormat.Get(parse), sampleFormat.Get(parse),
            isolation.Get(parse), parse.GetValue(timeLimit), parse.GetValue(floor), badRecords.Get(parse),
            parse.GetValue(concurrency), parse.GetValue(language), selection.From(parse)), cancellationToken));
        return command;
    }

    private sealed record EvalArguments(FileInfo Problems, FileInfo? Samples, bool Canonical, string? Ks, bool RequireAll, FileInfo? Output, bool Json, FileInfo? Store,
        bool NoStore, ProblemFormat ProblemFormat, SampleFormat SampleFormat, JudgeIsolation Isolation, double? TimeLimit,
        double? Floor, BadRecordPolicy OnBadRecord, int? Concurrency, string? Language, ProblemSelection Selection);

    private static async Task<int> ExecuteAsync(CliConsole console, EvalArguments args, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (!CommandDefaults.TryParseKs(args.Ks ?? DefaultKs, out var ks)) return await Fail(console, ExitCodes.BadInput, $"--k must be positive integers separated by commas, not `{args.Ks}`");
        if ((CommandDefaults.SecondsProblem("--time-limit", args.TimeLimit, 600) ?? CommandDefaults.SecondsProblem("--time-limit-floor", args.Floor, 600)) is { } seconds)
            return await Fail(console, ExitCodes.BadInput, seconds);
        if (args.NoStore && args.Store is not null) return await Fail(console, ExitCodes.BadInput, "--store and --no-store contradict each other: give one");
        // Options are bound and checked before any file is read or anything is judged.
        var options = new EvaluationOptions
        {
            Isolation = args.Isolation,
            TimeLimit = args.TimeLimit is { } limit ? TimeSpan.FromSeconds(limit) : null,
            TimeLimitFloor = args.Floor is { } floorSeconds ? TimeSpan.FromSeconds(floorSeconds) : null,
        };
        if (options.Validate() is { } invalid) return await Fail(console, ExitCodes.BadInput, invalid);
        if (args.Concurrency is < 1 or > 256) return await Fail(console, ExitCodes.BadInput, "--concurrency must be between 1 and 256");
        if ((args.Samples is null) == !args.Canonical) return await Fail(console, ExitCodes.BadInput, "give either --samples FILE or --canonical (not both)");

        if (CommandDefaults.IsStandardInput(args.Problems) && args.Samples is { } both && CommandDefaults.IsStandardInput(both))
            return await Fail(console, ExitCodes.BadInput, "only one of --problems and --samples can be `-` (standard input)");
        var resultsPath = ResolveResultsPath(args);
        var inputs = new List<(string, FileInfo)> { ("--problems", args.Problems) };
        if (args.Samples is { } samplesFile) inputs.Add(("--samples", samplesFile));
        if (ResultsTarget.Refusal(resultsPath, inputs) is { } refusal) return await Fail(console, ExitCodes.BadInput, refusal);

        var bad = new List<BadRecord>();
        IReadOnlyList<Problem> problems;
        IReadOnlyList<Sample> samples;
        ToolchainCatalog toolchains;
        try
        {
            // The language catalog first: the loaders read datasets' language names and fence tags from it.
            toolchains = ToolchainCatalog.LoadDefault();
            problems = ProblemFile.Load(CommandDefaults.InputPath(args.Problems), args.ProblemFormat, args.OnBadRecord, bad, toolchains.Languages);
            // Before the samples are read: with no problems every sample's task_id is unknown, and the samples file gets the blame.
            if (problems.Count == 0) return await Fail(console, ExitCodes.BadInput, CommandDefaults.NoProblems(args.Problems, bad));
            samples = args.Samples is { } sampleFile
                ? SampleFile.Load(CommandDefaults.InputPath(sampleFile), problems, args.SampleFormat, args.OnBadRecord, bad, toolchains.Languages, args.Language)
                : CanonicalSamples(problems);
        }
        catch (BadRecordException ex)
        {
            return await Fail(console, ExitCodes.BadInput, ex.Message + " (use --on-bad-record skip to report such lines and go on)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // InvalidDataException (a corrupt gzip, a malformed toolchain file) is AssayApp's: exit 2 with its message, for every verb.
            return await Fail(console, ExitCodes.BadInput, ex.Message);
        }
        foreach (var record in bad) await console.Error.WriteLineAsync("assay: " + record.Report());
        var (chosen, notChosen) = args.Selection.Apply(problems);
        if (notChosen is not null) return await Fail(console, ExitCodes.BadInput, notChosen);
        (problems, samples) = (chosen, ProblemSelection.SamplesOf(chosen, samples));
        if (samples.Count == 0)
            return await Fail(console, ExitCodes.BadInput, args.Samples is { } empty ? $"{CommandDefaults.InputPath(empty)}: no samples" : $"{args.Problems.FullName}: no problem has a canonical solution");
        if (args.Canonical && samples.Count < problems.Count)
            await console.Error.WriteLineAsync($"assay: {problems.Count - samples.Count} of {problems.Count} problems have no canonical solution and are not judged");
        // Known before judging: problems without samples and ks that cannot be reported change what the figure means.
        var coverage = SampleCoverage.Of(problems.Select(p => p.TaskId).ToList(), samples.Select(s => s.TaskId), ks);
        var gaps = coverage.Notable(ksGivenByUser: args.Ks is not null);
        if (args.RequireAll && !gaps.IsComplete)
            return await Fail(console, ExitCodes.BadInput, "--require-all: " + string.Join("; ", gaps.Describe()));
        // --canonical has said which problems have no canonical solution, just above.
        foreach (var gap in (args.Canonical ? gaps with { ProblemsWithoutSamples = [] } : gaps).Describe())
            await console.Error.WriteLineAsync("assay: warning: " + gap);
        var (runner, problem) = ProgramRunner.Create(args.Concurrency, toolchains);
        if (runner is null) return await Fail(console, ExitCodes.AssayFault, problem!);
        using (runner)
        {
            await using IVerdictStore store = args.NoStore
                ? new NoVerdictStore()
                : await SqliteVerdictStore.OpenAsync(args.Store?.FullName ?? CommandDefaults.StorePath(), cancellationToken);
            var evaluator = new Evaluator(runner, store, options);
            var unsupported = problems.FirstOrDefault(p => !evaluator.Supports(p));
            if (unsupported is not null) return await Fail(console, ExitCodes.BadInput, $"{unsupported.TaskId}: this judging mode is not supported by `eval` yet");
            // Every language the samples need must be runnable here: say which is missing before judging anything.
            var problemLanguage = problems.ToDictionary(p => p.TaskId, p => p.Language, StringComparer.Ordinal);
            foreach (var language in samples.Select(s => s.Language ?? problemLanguage[s.TaskId]).Distinct(StringComparer.Ordinal))
            {
                var resolved = runner.ResolveLanguage(language);
                if (resolved?.Toolchain is null)
                    return await Fail(console, ExitCodes.AssayFault, $"language {language}: " + (resolved?.Problem ?? "no toolchain file for it"));
            }

            EvaluationResult result;
            if (!args.Json && console.ShowsProgress)
            {
                result = await WithProgressBarAsync(console, p => evaluator.EvaluateAsync(problems, samples, p, cancellationToken));
            }
            else
            {
                result = await evaluator.EvaluateAsync(problems, samples, null, cancellationToken);
            }
            await ResultsFile.WriteAsync(resultsPath, result, cancellationToken);
            var summary = EvaluationSummary.From(result, ks);
            if (args.Json) await console.Out.WriteLineAsync(ToJson(summary, coverage, result, resultsPath, bad, clock.Elapsed));
            else RenderTable(console, summary, coverage, resultsPath, clock.Elapsed);
            return ExitCodes.Success;
        }
    }

    private static async Task<EvaluationResult> WithProgressBarAsync(CliConsole console, Func<IProgress<EvaluationProgress>, Task<EvaluationResult>> work)
    {
        EvaluationResult? result = null;
        await console.Progress.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new TransferSpeedlessRateColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask("judging");
                var progress = new Progress<EvaluationProgress>(p =>
                {
                    task.MaxValue = p.Total;
                    task.Value = p.Done;
                });
                result = await work(progress);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    /// <summary>Samples per second, for the progress bar.</summary>
    private sealed class TransferSpeedlessRateColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed ? $"{speed:F0}/s" : "-/s");
    }

    private static void RenderTable(CliConsole console, EvaluationSummary s, SampleCoverage coverage, string resultsPath, TimeSpan elapsed)
    {
        var table = new Table().AddColumns("metric", "value");
        foreach (var (k, value) in s.PassAtK)
        {
            var (low, high) = s.Intervals[k];
            table.AddRow($"pass@{k}", $"{value * 100:F2}  [grey](95% CI {low * 100:F2}–{high * 100:F2})[/]");
        }
        foreach (var (k, value) in s.BasePassAtK ?? new Dictionary<int, double>())
            table.AddRow($"base pass@{k}", $"{value * 100:F2}  [grey](base tests only)[/]");
        if (s.ByLanguage.Count > 1)
        {
            foreach (var (language, passAtK) in s.ByLanguage)
                table.AddRow(Markup.Escape(language), string.Join("  ", passAtK.Select(p => $"pass@{p.Key} {p.Value * 100:F2}")));
        }
        foreach (var dropped in coverage.DroppedKs) table.AddRow($"pass@{dropped.K}", "[yellow]not reported[/]: " + Markup.Escape(dropped.Reason));
        table.AddRow("problems / samples", coverage.ProblemsWithoutSamples.Count == 0
            ? $"{s.Problems} / {s.Samples}"
            : $"{s.Problems} [yellow](of {coverage.Problems} in the file: {coverage.ProblemsWithoutSamples.Count} have no samples)[/] / {s.Samples}");
        table.AddRow("passed", s.Passed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        foreach (var (status, count) in s.StatusCounts.Where(c => c.Value > 0 && c.Key != "ok")) table.AddRow(Markup.Escape(status), count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("distinct programs", $"{s.DistinctPrograms} ({s.JudgedNow} judged now, {s.FromStore} samples from the store)");
        table.AddRow("judged in a sandbox of their own", s.Isolated.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("time", $"{elapsed.TotalSeconds:F1} s ({Rate(s.Samples, elapsed)})");
        console.Ui.Write(table);
        // Below the table, not in a cell: a long path would be wrapped mid-word to fit the column.
        console.Ui.WriteLine("results: " + resultsPath);
        foreach (var failure in s.ReferenceFailures) console.Ui.MarkupLine("[yellow]reference solution fails:[/] " + Markup.Escape(failure));
    }

    /// <summary>`12 samples/s`, `0.4 samples/s`: a whole number hides a slow rate and "1 samples/s" reads wrong.</summary>
    private static string Rate(int samples, TimeSpan elapsed)
    {
        var rate = samples / Math.Max(elapsed.TotalSeconds, 1e-9);
        return rate >= 10 ? $"{rate:F0} samples/s" : $"{rate:F1} samples/s";
    }

    private static string ToJson(EvaluationSummary s, SampleCoverage coverage, EvaluationResult result, string resultsPath, List<BadRecord> bad, TimeSpan elapsed)
    {
        var obj = new Dictionary<string, object?>
        {
            ["pass_at_k"] = s.PassAtK.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => Math.Round(p.Value, 6)),
            ["base_pass_at_k"] = s.BasePassAtK?.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => Math.Round(p.Value, 6)),
            ["pass_at_k_ci95"] = s.Intervals.ToDictionary(p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture),
                p => new[] { Math.Round(p.Value.Low, 6), Math.Round(p.Value.High, 6) }),
            ["problems"] = s.Problems,
            ["problems_in_file"] = coverage.Problems,
            ["problems_without_samples"] = coverage.ProblemsWithoutSamples,
            ["k_dropped"] = coverage.DroppedKs.ToDictionary(d => d.K.ToString(System.Globalization.CultureInfo.InvariantCulture), d => d.Reason),
            ["samples"] = s.Samples,
            ["passed"] = s.Passed,
            ["status_counts"] = s.StatusCounts,
            ["distinct_programs"] = s.DistinctPrograms,
            ["judged_now"] = s.JudgedNow,
            ["samples_from_store"] = s.FromStore,
            ["judged_alone"] = s.Isolated,
            ["per_problem_pass_rate"] = s.PerProblemPassRate,
            ["reference_failures"] = s.ReferenceFailures,
            ["by_language"] = s.ByLanguage.ToDictionary(l => l.Key, l => l.Value.ToDictionary(
                p => p.Key.ToString(System.Globalization.CultureInfo.InvariantCulture), p => Math.Round(p.Value, 6))),
            ["bad_records"] = bad.Select(b => b.ToString()).ToList(),
            ["timing"] = new Dictionary<string, double>
            {
                ["total_seconds"] = Math.Round(elapsed.TotalSeconds, 3),
                ["judging_seconds"] = Math.Round(result.Elapsed.TotalSeconds, 3),
                ["samples_per_second"] = Math.Round(s.Samples / Math.Max(elapsed.TotalSeconds, 1e-9), 2),
            },
            ["results_file"] = resultsPath,
        };
        return JsonSerializer.Serialize(obj, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    /// <summary>`--canonical`: each problem's canonical solution as its one sample (problems without one are left out).</summary>
    private static List<Sample> CanonicalSamples(IReadOnlyList<Problem> problems) =>
        problems.Where(p => p.CanonicalSolution is not null).Select(p => new Sample(p.TaskId, 0, p.CanonicalSolution!, IsSolution: false)).ToList();

    /// <summary>
    /// `--out`, or SAMPLES_results.jsonl beside the samples (human-eval's place); with --canonical
    /// PROBLEMS_canonical_results.jsonl in the current directory, never inside the dataset.
    /// </summary>
    private static string ResolveResultsPath(EvalArguments args) =>
        args.Output?.FullName ?? (args.Samples is { } samples
            ? CommandDefaults.IsStream(samples)
                ? ResultsTarget.Default(null, "stdin", "_results.jsonl")
                : ResultsTarget.Default(samples, ResultsTarget.Stem(samples), "_results.jsonl")
            : ResultsTarget.Default(null, ResultsTarget.Stem(args.Problems), "_canonical_results.jsonl"));

    private static async Task<int> Fail(CliConsole console, int exitCode, string message)
    {
        await console.Error.WriteLineAsync("assay: " + message);
        return exitCode;
    }
}
