using Assay.Core.Evaluation;
using Assay.Core.Problems;
using Assay.Core.Ranking;
using Assay.Evaluation.Matrix;
using Assay.Evaluation.Tests.Support;
using Assay.Execution.Judging;
using Assay.Execution.Running;
using Assay.Storage.Sqlite;

namespace Assay.Evaluation.Tests.Ranking;

/// <summary>The execution matrix built in the real sandbox: every cell outcome, call and snippet columns agreeing, the store.</summary>
[Collection(SandboxCollection.Name)]
public sealed class MatrixBuilderTests : IDisposable
{
    private const string Prompt = "def f(x):\n    \"\"\"Return twice x.\"\"\"\n";

    // Rows in first-appearance order; "twice" appears twice, so its multiplicity is 2.
    private static readonly string[] Completions =
    [
        "    return x * 2\n",                                      // 0 right
        "    return x + x\n",                                      // 1 right, other text
        "    return x + 1\n",                                      // 2 wrong (right only at 1)
        "    if x < 0:\n        raise ValueError(x)\n    return 2 * x\n", // 3 raises on negatives
        "    while True:\n        pass\n",                         // 4 loops
        "    return x +\n",                                        // 5 syntax error
        "    return x * 2\n",                                      // 0 again
    ];

    private static readonly string[] Assertions =
    [
        "assert f(1) == 2",           // call column
        "assert f(2) == 4",           // call column
        "assert f(-1) == -2",         // call column
        "assert f(2) == 4 and True",  // the same check as a snippet
        "assert f(3) in (6,)",        // snippet
        "assert not f(0)",            // snippet
    ];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static Problem Problem => new("T/0", "python", Prompt, "f", "    return 2 * x\n", new PythonAssertJudge("", []));

    private static List<Sample> Samples => Completions.Select((c, i) => new Sample("T/0", i, c, IsSolution: false)).ToList();

    private static async Task<(MatrixBuild Build, PlannedProblem Plan)> BuildAsync(IVerdictStore store, MatrixKind kind, int maxTimeouts = 2)
    {
        var (runner, problem) = ProgramRunner.Create();
        Assert.True(runner is not null, problem);
        using (runner)
        {
            var python = runner.ResolveLanguage("python")!.Toolchain!;
            var tests = await GeneratedTests.PrepareAsync(runner, python, [("T/0", [Assertions])],
                new Dictionary<string, string> { ["T/0"] = "f" }, limit: 10);
            var plan = MatrixPlan.Create([Problem], Samples, tests, kind);
            var builder = new MatrixBuilder(new PythonJudge(runner, python), store,
                new MatrixOptions { TimeLimitSeconds = 0.3, MaxTimeoutsPerCandidate = maxTimeouts });
            var build = await builder.BuildAsync(plan.Select(p => p.Problem).ToList(), kind);
            return (build, Assert.Single(plan));
        }
    }

    private static string Row(ExecutionMatrix m, int i) =>
        string.Concat(Enumerable.Range(0, m.Tests).Select(j => m[i, j] switch
        {
            CellOutcome.Pass => 'p',
            CellOutcome.Fail => 'f',
            CellOutcome.Error => 'e',
            CellOutcome.Timeout => 't',
            _ => 'n',
        }));

    [SandboxFact]
    public async Task Every_cell_outcome_comes_out_right_and_call_columns_agree_with_snippets()
    {
        var (build, plan) = await BuildAsync(new NoVerdictStore(), MatrixKind.Assertions);
        var m = build.Matrices["T/0"];

        Assert.Empty(build.Failures);
        Assert.Equal(6, m.Codes);
        Assert.Equal([2, 1, 1, 1, 1, 1], m.CodeMultiplicity);
        Assert.Equal([[0, 6], [1], [2], [3], [4], [5]], plan.SampleIndexes.Select(r => r.ToArray()).ToArray());
        // The first three columns are judged as calls, the rest as snippets.
        Assert.Equal([true, true, true, false, false, false], plan.Problem.Calls!.Select(c => c is not null));
        Assert.Equal("pppppp", Row(m, 0));
        Assert.Equal("pppppp", Row(m, 1));
        Assert.Equal("pfffff", Row(m, 2));
        Assert.Equal("ppeppp", Row(m, 3));
        // Looping: two timeouts allowed per candidate, then the rest is not run.
        Assert.Equal("ttnnnn", Row(m, 4));
        Assert.Equal("eeeeee", Row(m, 5));
        // `assert f(2) == 4` as a call and as a snippet: the same cell for every candidate that ran it.
        for (var i = 0; i < m.Codes; i++)
            if (m[i, 1] != CellOutcome.NotRun && m[i, 3] != CellOutcome.NotRun) Assert.Equal(m.Passed(i, 1), m.Passed(i, 3));

        var ranking = CodeTRanker.Rank(m);
        Assert.Equal([0, 1], ranking.Groups[0].Members);
        Assert.Equal(Math.Sqrt(3) * 6, ranking.Groups[0].Score, 9);
        Assert.Contains(4, ranking.Unranked);
        Assert.Contains(5, ranking.Unranked);
    }

    [SandboxFact]
    public async Task A_second_build_comes_entirely_from_the_store_with_the_same_cells()
    {
        var path = _dir.PathOf("verdicts.db");
        string[] first, second;
        await using (var store = await SqliteVerdictStore.OpenAsync(path))
        {
            var (build, _) = await BuildAsync(store, MatrixKind.Assertions);
            Assert.True(build.JudgedNow > 0);
            Assert.Equal(0, build.FromStore);
            first = Enumerable.Range(0, 6).Select(i => Row(build.Matrices["T/0"], i)).ToArray();
        }
        await using (var store = await SqliteVerdictStore.OpenAsync(path))
        {
            var (build, _) = await BuildAsync(store, MatrixKind.Assertions);
            Assert.Equal(0, build.JudgedNow);
            Assert.True(build.FromStore > 0);
            second = Enumerable.Range(0, 6).Select(i => Row(build.Matrices["T/0"], i)).ToArray();
        }
        Assert.Equal(first, second);
    }

    [SandboxFact]
    public async Task The_output_matrix_records_values_and_errors_for_MBR_and_clustering()
    {
        var (build, plan) = await BuildAsync(new NoVerdictStore(), MatrixKind.Outputs);
        var m = build.Matrices["T/0"];

        // Inputs in order of first appearance: 1, 2, -1, 3, 0.
        Assert.Equal(["[1]", "[2]", "[-1]", "[3]", "[0]"], plan.Problem.Columns);
        Assert.True(m.HasOutputs);
        Assert.Equal(["2", "4", "-2", "6", "0"], Enumerable.Range(0, 5).Select(j => m.Output(0, j)));
        Assert.Equal(["2", "3", "0", "4", "1"], Enumerable.Range(0, 5).Select(j => m.Output(2, j)));
        Assert.Equal(CellOutcome.Error, m[3, 2]);
        Assert.Null(m.Output(3, 2));
        Assert.Equal(CellOutcome.Timeout, m[4, 0]);
        Assert.Equal(CellOutcome.Error, m[5, 0]);

        // MBR-exec (hard loss): rows 0 and 1 (three raw samples) agree on everything; row 3 erred once and agrees with nobody.
        var mbr = MbrExecRanker.Rank(m);
        Assert.Equal([0, 1], mbr.Groups[0].Members);
        Assert.Equal(3.0, mbr.Groups[0].Score);
        // Clustering: row 3's error is a behaviour of its own; rows 4 and 5 have no value at all and are dropped.
        var clusters = ClusterRanker.Rank(m);
        Assert.Equal([0, 1], clusters.Groups[0].Members);
        Assert.Equal([4, 5], clusters.Unranked);
    }
}
