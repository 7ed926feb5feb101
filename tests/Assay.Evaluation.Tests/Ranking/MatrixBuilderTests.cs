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

    private static Task<(MatrixBuild Build, PlannedProblem Plan)> BuildAsync(IVerdictStore store, MatrixKind kind, int maxTimeouts = 2) =>
        BuildAsync(store, kind, Problem, Samples, Assertions, maxTimeouts);

    private static async Task<(MatrixBuild Build, PlannedProblem Plan)> BuildAsync(IVerdictStore store, MatrixKind kind, Problem problem,
        IReadOnlyList<Sample> samples, IReadOnlyList<string> assertions, int maxTimeouts = 2)
    {
        var (runner, why) = ProgramRunner.Create();
        Assert.True(runner is not null, why);
        using (runner)
        {
            var python = runner.ResolveLanguage("python")!.Toolchain!;
            var tests = await GeneratedTests.PrepareAsync(runner, python, [(problem.TaskId, [assertions])],
                new Dictionary<string, string> { [problem.TaskId] = problem.EntryPoint! }, limit: 10);
            var plan = MatrixPlan.Create([problem], samples, tests, kind);
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

    // HumanEval/127's generated tests call with tuples (`intersection((1, 2), (2, 3))`): arguments JSON cannot carry.
    private const string TuplePrompt = "def g(a, b):\n    \"\"\"Sum of a's items plus the number of b's.\"\"\"\n";

    private static readonly string[] TupleCompletions =
    [
        "    return sum(a) + len(b)\n",       // 0 right
        "    return len(b) + sum(a)\n",       // 1 right, other text
        "    return len(a) + len(b)\n",       // 2 wrong
        "    return sum(list(a)) + len(b)\n", // 3 right, other text
    ];

    private static readonly string[] TupleAssertions =
    [
        "assert g((1, 2), {3}) == 4",                                  // call: tuple and set
        "assert g((5,), {1, 2}) == 7 and True",                        // snippet: its input is tagged
        "assert g({2: 5}, b\"xy\") == 4",                              // call: a dict with an int key, bytes
        "assert g((123456789012345678901234567890,), ()) == 123456789012345678901234567890", // call: a big int in a tuple
        "assert g((1j,), ()) == 1j",                                   // call: a complex number
        "assert g([1], [3]) == 2",                                     // call: plain JSON, as it always was; the wrong one agrees here
    ];

    private static Problem TupleProblem => new("T/1", "python", TuplePrompt, "g", "    return sum(a) + len(b)\n", new PythonAssertJudge("", []));

    private static List<Sample> TupleSamples => TupleCompletions.Select((c, i) => new Sample("T/1", i, c, IsSolution: false)).ToList();

    [SandboxFact]
    public async Task Inputs_with_tuples_sets_bytes_big_ints_complex_numbers_and_int_keyed_dicts_reach_the_output_rankers()
    {
        var (build, plan) = await BuildAsync(new NoVerdictStore(), MatrixKind.Outputs, TupleProblem, TupleSamples, TupleAssertions);
        var m = build.Matrices["T/1"];

        Assert.Empty(build.Failures);
        // Every input is a column: the tagged ones in the harness's plain-data tags, the plain one as plain JSON as before.
        Assert.Equal(
        [
            "[{\"tuple\": [1, 2]}, {\"set\": [3]}]", "[{\"tuple\": [5]}, {\"set\": [1, 2]}]", "[{\"dict\": [[2, 5]]}, {\"bytes\": \"7879\"}]",
            "[{\"tuple\": [{\"int\": \"123456789012345678901234567890\"}]}, {\"tuple\": []}]", "[{\"tuple\": [{\"complex\": [0.0, 1.0]}]}, {\"tuple\": []}]",
            "[[1], [3]]",
        ], plan.Problem.Columns);
        Assert.Equal([true, true, true, true, true, false], plan.Problem.Calls!.Select(c => c!.Tagged));
        Assert.Equal(["4", "7", "4", "123456789012345678901234567890", "c(0,1)", "2"], Enumerable.Range(0, 6).Select(j => m.Output(0, j)));
        Assert.Equal(["3", "3", "3", "1", "1", "2"], Enumerable.Range(0, 6).Select(j => m.Output(2, j)));
        for (var j = 0; j < 6; j++) Assert.Equal(m.Output(0, j), m.Output(3, j));

        // MBR-exec: the three right candidates agree on every input; the wrong one only on the plain one, which alone
        // (all the output matrix had before tagged inputs) would tie all four.
        var mbr = MbrExecRanker.Rank(m);
        Assert.Equal([0, 1, 3], mbr.Groups[0].Members);
        Assert.DoesNotContain(2, mbr.Groups[0].Members);

        // The pass/fail matrix: the `assert g(literals) == literal` assertions with such arguments are judged as calls.
        var (assertions, assertionPlan) = await BuildAsync(new NoVerdictStore(), MatrixKind.Assertions, TupleProblem, TupleSamples, TupleAssertions);
        var calls = assertionPlan.Problem.Calls!;
        Assert.Equal([true, false, true, true, true, true], calls.Select(c => c is not null));
        Assert.Equal([true, true, true, true, false], calls.Where(c => c is not null).Select(c => c!.Tagged));
        Assert.Equal(["pppppp", "pppppp", "fffffp", "pppppp"], Enumerable.Range(0, 4).Select(i => Row(assertions.Matrices["T/1"], i)));
    }
}
