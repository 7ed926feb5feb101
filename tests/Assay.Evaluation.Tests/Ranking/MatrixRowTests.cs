using System.Text.Json;
using Assay.Core.Evaluation;
using Assay.Core.Ranking;
using Assay.Evaluation.Matrix;
using Assay.Evaluation.Tests.Support;
using Assay.Execution.Judging;
using Assay.Execution.Running;

namespace Assay.Evaluation.Tests.Ranking;

/// <summary>
/// Execution-matrix rows judged in the real sandbox (python_harness.py, Judge._run_matrix): call columns and
/// assertion columns in one row, the timeout allowance, candidates that hang or end their worker, the CPU time of
/// an assertion's calls adding up, the fixed hash seed, calls with computed arguments, and the load limit.
/// Rows are written as strings, one letter per cell: p pass, f fail, e error, t timeout, n not run.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class MatrixRowTests
{
    private const string Twice = "def f(x):\n    return 2 * x\n";

    private static readonly MatrixOptions CodeT = new() { TimeLimitSeconds = 0.1, MaxTimeoutsPerCandidate = 3 };

    /// <summary>A call column: `assert f(ARGS) == EXPECTED`, judged as a call whose value is compared outside the sandbox.</summary>
    private static (string Source, ColumnCall? Call) Call(string arguments, string expected) =>
        ($"assert f({arguments[1..^1]}) == {expected}", new ColumnCall(arguments, expected));

    /// <summary>An assertion column, run in the harness's judge process against the row's prefetched calls.</summary>
    private static (string Source, ColumnCall? Call) Assertion(string source) => (source, null);

    private static MatrixProblem Problem(IReadOnlyList<string> programs, params (string Source, ColumnCall? Call)[] columns) =>
        new("T/0", "f", programs, programs.Select(_ => 1).ToList(), columns.Select(c => c.Source).ToList(), columns.Select(_ => 1).ToList(),
            columns.Select(c => c.Call).ToList());

    /// <summary>An output matrix's problem: each column a JSON argument list.</summary>
    private static MatrixProblem Inputs(IReadOnlyList<string> programs, params string[] arguments) =>
        new("T/0", "f", programs, programs.Select(_ => 1).ToList(), arguments, arguments.Select(_ => 1).ToList());

    private static async Task<ExecutionMatrix> BuildAsync(MatrixProblem problem, MatrixOptions options, MatrixKind kind = MatrixKind.Assertions)
    {
        var (runner, why) = ProgramRunner.Create();
        Assert.True(runner is not null, why);
        using (runner)
        {
            var python = runner.ResolveLanguage("python")!.Toolchain!;
            var builder = new MatrixBuilder(new PythonJudge(runner, python), new NoVerdictStore(), options);
            var build = await builder.BuildAsync([problem], kind);
            Assert.Empty(build.Failures);
            Assert.Equal(problem.Programs.Count, build.JudgedNow);
            return build.Matrices[problem.TaskId];
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

    private static string[] Rows(ExecutionMatrix m) => Enumerable.Range(0, m.Codes).Select(i => Row(m, i)).ToArray();

    [Fact]
    public void The_load_limit_is_at_least_a_second_and_never_below_the_per_test_limit()
    {
        Assert.Equal(1.0, new MatrixOptions { TimeLimitSeconds = 0.1 }.LoadLimitSeconds);
        Assert.Equal(1.0, new MatrixOptions { TimeLimitSeconds = 1.0 }.LoadLimitSeconds);
        Assert.Equal(2.5, new MatrixOptions { TimeLimitSeconds = 2.5 }.LoadLimitSeconds);
    }

    [SandboxFact]
    public async Task Call_columns_and_assertion_columns_give_the_same_verdicts()
    {
        string[] programs =
        [
            Twice,                                                                       // right
            "def f(x):\n    return 2.0 * x\n",                                           // right, as floats (4.0 == 4)
            "def f(x):\n    return x + 1\n",                                             // wrong everywhere here
            "def f(x):\n    return x * x\n",                                             // right at 0 and 2 only
            "def f(x):\n    raise ValueError(x)\n",                                      // raises everywhere
            "def f(x):\n    if x == 2:\n        raise ValueError(x)\n    return 2 * x\n", // raises at 2 only
            "def f(x):\n    return [2 * x]\n",                                           // a list, never equal to an int
            "def f(x):\n    assert x != 2\n    return 2 * x\n",                          // raises AssertionError at 2
        ];
        var problem = Problem(programs,
            Call("[2]", "4"),
            Assertion("assert f(2) == 4 and True"),
            Assertion("assert not f(0)"),
            Assertion("assert f(3) in (6,)"),
            Call("[3]", "6"));

        var m = await BuildAsync(problem, CodeT);

        Assert.Equal(["ppppp", "ppppp", "fffff", "pppff", "eeeee", "eeppp", "fffff"], Rows(m)[..7]);
        // The same check as a call (column 0, 4) and as an assertion (column 1, 3): the same cell for every candidate.
        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(m[i, 0], m[i, 1]);
            Assert.Equal(m[i, 4], m[i, 3]);
        }
        // The candidate's own AssertionError: an error as a call, a failure inside an assertion (as in CodeT's one
        // process, where the two cannot be told apart). Passed or not, the two columns agree.
        Assert.Equal([false, false, true, true, true], Enumerable.Range(0, 5).Select(j => m.Passed(7, j)));
        for (var i = 0; i < m.Codes; i++)
        {
            Assert.Equal(m.Passed(i, 0), m.Passed(i, 1));
            Assert.Equal(m.Passed(i, 4), m.Passed(i, 3));
        }
    }

    [SandboxFact]
    public async Task Inputs_that_loop_time_out_until_the_allowance_is_used_up_and_a_repeated_call_counts_in_every_column()
    {
        string[] programs =
        [
            "def f(x):\n    while x == 5:\n        pass\n    return 2 * x\n", // loops at 5
            "def f(x):\n    while x == 5:\n        pass\n    return x + 1\n", // loops at 5, else wrong (right at 1)
            Twice,                                                         // never loops
            "def f(x):\n    while True:\n        pass\n",                  // loops everywhere
            "def f(x):\n    while x == 3:\n        pass\n    return 2 * x\n", // loops at 3 only: one timeout, the row goes on
        ];
        var problem = Problem(programs,
            Call("[1]", "2"),
            Call("[5]", "10"),
            Call("[2]", "4"),
            Call("[5]", "11"),             // the same call as column 1, another expected value
            Call("[3]", "6"),
            Assertion("assert f(4) == 8"));

        var m = await BuildAsync(problem, new MatrixOptions { TimeLimitSeconds = 0.1, MaxTimeoutsPerCandidate = 2 });

        // Row 0: f(5) is made once, and both of its columns are timeouts; the second is the allowance's last.
        Assert.Equal("ptptnn", Row(m, 0));
        Assert.Equal("ptftnn", Row(m, 1));
        Assert.Equal("pppfpp", Row(m, 2));
        Assert.Equal("ttnnnn", Row(m, 3));
        Assert.Equal("pppftp", Row(m, 4));
    }

    [SandboxFact]
    public async Task A_candidate_that_swallows_the_timers_exception_times_out_in_that_cell_and_the_rest_is_judged()
    {
        string[] programs =
        [
            // The timer's exception is raised inside the inner loop, within the try: caught, and the loop goes on.
            "def f(x):\n    while x == 5:\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass\n    return 2 * x\n",
            // The same intent, written the short way. On CPython 3.11 its timer exception is raised at the loop's
            // backward jump, outside the try, so it ends as an ordinary timeout; the form above really hangs.
            "def f(x):\n    if x == 5:\n        while True:\n            try:\n                pass\n            except BaseException:\n                pass\n    return 2 * x\n",
            // After the hanging candidates, in the same batch.
            Twice,
            "def f(x):\n    return x + 1\n",
        ];
        var problem = Problem(programs,
            Call("[1]", "2"),
            Call("[2]", "4"),
            Call("[5]", "10"),
            Call("[3]", "6"),
            Assertion("assert f(4) == 8"),
            Assertion("assert f(6) == 12 and f(1) == 2"));

        var m = await BuildAsync(problem, CodeT);

        Assert.Equal("pptppp", Row(m, 0));
        Assert.Equal("pptppp", Row(m, 1));
        Assert.Equal("pppppp", Row(m, 2));
        Assert.Equal("pfffff", Row(m, 3));
    }

    [SandboxFact]
    public async Task A_candidate_that_ends_its_own_process_errs_in_that_cell_and_the_rest_is_judged()
    {
        string[] programs =
        [
            "def f(x):\n    if x == 5:\n        import os\n        os._exit(3)\n    return 2 * x\n",
            // SystemExit is an exception like any other: the process lives on.
            "import sys\n\ndef f(x):\n    if x == 5:\n        sys.exit(3)\n    return 2 * x\n",
            Twice,
            "def f(x):\n    import os\n    os._exit(0)\n",              // ends the process on every call
        ];
        var problem = Problem(programs,
            Call("[1]", "2"),
            Call("[5]", "10"),
            Call("[2]", "4"),
            Assertion("assert f(3) == 6"),
            Assertion("assert f(5) == 10 or True"),
            Call("[4]", "9"));

        var m = await BuildAsync(problem, CodeT);

        Assert.Equal("peppef", Row(m, 0));
        Assert.Equal("peppef", Row(m, 1));
        Assert.Equal("pppppf", Row(m, 2));
        // A call that ends the worker counts against the allowance like a timeout (three here).
        Assert.Equal("eeennn", Row(m, 3));
    }

    [SandboxFact]
    public async Task The_cpu_times_of_an_assertions_calls_add_up_against_the_per_test_limit()
    {
        // Each call burns about 0.06 s of CPU: one fits in the 0.1 s limit, two do not.
        const string Slow = "import time\n\ndef f(x):\n    t = time.process_time()\n    while time.process_time() - t < 0.06:\n        pass\n    return x\n";
        string[] programs = [Slow, "def f(x):\n    return x\n"];
        var problem = Problem(programs,
            Assertion("assert f(1) > 0"),
            Assertion("assert f(1) + f(2) + f(3) > 0"),
            Call("[2]", "2"),
            Assertion("assert f(2) + f(3) > 0"),
            Assertion("assert f(3) > 0"));

        var m = await BuildAsync(problem, CodeT);

        Assert.Equal("ptptp", Row(m, 0));
        Assert.Equal("ppppp", Row(m, 1));
    }

    [SandboxFact]
    public async Task A_set_of_strings_comes_out_in_the_same_order_in_every_build()
    {
        // Against every order of the four strings: exactly one column passes, and it is the same one every time.
        string[] words = ["apple", "banana", "cherry", "date"];
        var orders = Permutations(words).Select(p => JsonSerializer.Serialize(p)).ToList();
        Assert.Equal(24, orders.Count);
        var assertions = Problem(["def f():\n    return list({\"apple\", \"banana\", \"cherry\", \"date\"})\n"],
            orders.Select(o => Call("[]", o)).ToArray());
        // And as outputs: sets of 4, 8 and 16 strings.
        var outputs = Inputs(["def f(n):\n    return list({\"w%d\" % i for i in range(n)})\n"], "[4]", "[8]", "[16]");

        var first = await BuildAsync(assertions, CodeT);
        var second = await BuildAsync(assertions, CodeT);
        var firstOutputs = await BuildAsync(outputs, CodeT, MatrixKind.Outputs);
        var secondOutputs = await BuildAsync(outputs, CodeT, MatrixKind.Outputs);

        Assert.Equal(1, Row(first, 0).Count(c => c == 'p'));
        Assert.Equal(Row(first, 0), Row(second, 0));
        for (var j = 0; j < 3; j++)
        {
            Assert.Equal(CellOutcome.Pass, firstOutputs[0, j]);
            Assert.Equal(firstOutputs.Output(0, j), secondOutputs.Output(0, j));
        }
    }

    [SandboxFact]
    public async Task A_candidate_drawing_random_numbers_gets_the_same_values_in_every_build_whatever_ran_before_it()
    {
        // Row 1 draws from `random` at every call; row 0 draws too, so without re-seeding row 1 would see another state.
        string[] programs =
        [
            "import random\ndef f(n):\n    return [random.random() for _ in range(n)]\n",
            "import random\ndef f(n):\n    return random.randrange(10 ** 9) + n\n",
        ];
        var outputs = Inputs(programs, "[1]", "[2]", "[3]");
        var reversed = Inputs([programs[1], programs[0]], "[1]", "[2]", "[3]");

        var first = await BuildAsync(outputs, CodeT, MatrixKind.Outputs);
        var second = await BuildAsync(reversed, CodeT, MatrixKind.Outputs);

        for (var j = 0; j < 3; j++)
        {
            Assert.Equal(CellOutcome.Pass, first[1, j]);
            Assert.Equal(first.Output(1, j), second.Output(0, j));
            Assert.Equal(first.Output(0, j), second.Output(1, j));
        }
        // Not a constant: the values differ between inputs.
        Assert.NotEqual(first.Output(1, 0), first.Output(1, 1));
    }

    [SandboxFact]
    public async Task An_assertion_calling_with_computed_arguments_is_judged_by_live_calls()
    {
        string[] programs =
        [
            Twice,
            "def f(x):\n    return x + 1\n",
            "def f(x):\n    while x == 4:\n        pass\n    return 2 * x\n",                 // loops at 4, which no call column has
            "def f(x):\n    if x == 3:\n        raise ValueError(x)\n    return 2 * x\n",   // raises at 3
            "def f(x):\n    return 4 if x == 2 else 0\n",                                    // right at 2 only
        ];
        var problem = Problem(programs,
            Assertion("assert f(len([1, 2, 3])) == 6"),
            Assertion("assert f(2) == 4 and f(len('abc') + 1) == 8"),
            Call("[2]", "4"),
            Assertion("assert f(sum(range(4))) == 12"));

        var m = await BuildAsync(problem, CodeT);

        Assert.Equal(["pppp", "ffff", "ptpp", "eppp", "ffpf"], Rows(m));
    }

    [SandboxFact]
    public async Task Top_level_code_gets_the_load_limit_and_a_program_that_never_loads_times_out_everywhere()
    {
        const string Busy = "import time\n\n_t = time.process_time()\nwhile time.process_time() - _t < 0.3:\n    pass\n\n";
        string[] programs =
        [
            Busy + Twice,                                              // 0.3 s to load: more than a test's 0.1 s, within the 1 s
            "while True:\n    pass\n\n" + Twice,                       // never loads
            Twice,
            Busy + "def f(x):\n    return x + 1\n",
        ];
        var problem = Problem(programs, Call("[1]", "2"), Call("[2]", "4"), Assertion("assert f(3) == 6"));

        var m = await BuildAsync(problem, CodeT);

        Assert.Equal(["ppp", "ttt", "ppp", "pff"], Rows(m));
    }

    [SandboxFact]
    public async Task A_row_judged_alone_has_the_budget_to_recover_from_two_hung_calls()
    {
        // Strict isolation: the row has a sandbox of its own, whose CPU budget is the row's alone. Each hung call costs
        // the harness a wall-clock backstop (3 limits + 1.5 s of a spinning worker), twice: once to notice, once to find
        // which call it was.
        string[] programs =
        [
            "def f(x):\n    while x in (3, 5):\n        try:\n            while True:\n                pass\n        except BaseException:\n            pass\n    return 2 * x\n",
        ];
        var problem = Problem(programs,
            Call("[1]", "2"),
            Call("[2]", "4"),
            Call("[5]", "10"),
            Call("[3]", "6"),
            Assertion("assert f(4) == 8"),
            Assertion("assert f(6) == 12 and f(1) == 2"));

        var m = await BuildAsync(problem, CodeT with { Isolation = JudgeIsolation.Strict });

        Assert.Equal("ppttpp", Row(m, 0));
    }

    private static IEnumerable<string[]> Permutations(string[] items) => items.Length <= 1
        ? [items]
        : items.SelectMany((item, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => rest.Prepend(item).ToArray()));

    [SandboxFact]
    public async Task Tagged_call_columns_reach_the_candidate_as_tuples_sets_bytes_big_ints_complex_numbers_and_dicts()
    {
        // Returns each argument's exact type with its value: a tagged argument decoded to anything but the literal's own type shows.
        const string Echo = "def f(*args):\n    return [(type(a).__name__, a) for a in args]\n";
        const string Big = "123456789012345678901234567890";
        var tagged = $"[{{\"tuple\": [1, 2]}}, {{\"set\": [\"a\", \"b\"]}}, {{\"bytes\": \"6869\"}}, {{\"int\": \"{Big}\"}}, {{\"complex\": [1.0, 2.0]}}, {{\"dict\": [[{{\"tuple\": [1]}}, 2]]}}]";
        var outputs = new MatrixProblem("T/0", "f", [Echo], [1], [tagged], [1], [new ColumnCall(tagged, null, Tagged: true)]);

        var m = await BuildAsync(outputs, CodeT, MatrixKind.Outputs);

        var expected = "[{\"tuple\": [\"tuple\", {\"tuple\": [1, 2]}]}, {\"tuple\": [\"set\", {\"set\": [\"a\", \"b\"]}]}, {\"tuple\": [\"bytes\", {\"bytes\": \"6869\"}]}, "
            + $"{{\"tuple\": [\"int\", {{\"int\": \"{Big}\"}}]}}, {{\"tuple\": [\"complex\", {{\"complex\": [1.0, 2.0]}}]}}, {{\"tuple\": [\"dict\", {{\"dict\": [[{{\"tuple\": [1]}}, 2]]}}]}}]";
        Assert.Equal(CellOutcome.Pass, m[0, 0]);
        Assert.Equal(OutputKey.Of(expected), m.Output(0, 0));

        // As a pass/fail column: a tagged call compared with its literal agrees with the same check run as an assertion.
        string[] programs = ["def f(t, s):\n    return sum(t) + len(s)\n", "def f(t, s):\n    return len(t) + len(s)\n",
            "def f(t, s):\n    t.append(0)\n    return 0\n"];
        const string Args = "[{\"tuple\": [3, 4]}, {\"set\": [5]}]";
        var problem = Problem(programs, ("assert f((3, 4), {5}) == 8", new ColumnCall(Args, "8", Tagged: true)), Assertion("assert f((3, 4), {5}) == 8 and True"));

        var rows = Rows(await BuildAsync(problem, CodeT));

        // The third candidate raises only because its argument really is a tuple (a list would take the append).
        Assert.Equal(["pp", "ff", "ee"], rows);
    }
}
