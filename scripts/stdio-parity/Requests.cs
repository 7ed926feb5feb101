using System.Text.Json;
using Assay.Core.Problems;
using Assay.Evaluation.Pipeline;

namespace Assay.StdioParity;

/// <summary>One request and a name that says what it is (part | configuration | task | program).</summary>
internal sealed record Named(string Id, JudgeRequest Request);

/// <summary>The programs and configurations judged: every behaviour the stdio verdict distinguishes.</summary>
internal static class Requests
{
    /// <summary>Programs under the problems' own rule (a quarter of the problems), the other rules, checkers and every-test runs (fewer).</summary>
    public static List<Named> Fixed(IReadOnlyList<Problem> problems)
    {
        var list = new List<Named>();
        for (var p = 0; p < problems.Count; p++)
        {
            var problem = problems[p];
            var judge = (StdioJudge)problem.Judge;
            if (p % 4 != 0) continue; // a quarter of the problems: a 2-core machine judges ~25 programs a minute
            string[] own = ["oracle", "spaced", "wrong", "crash_after", "raise", "empty", "noise", "alternative", "crlf"];
            if (p % 32 == 0) own = [.. own, "loop", "memory"];
            Add(list, "own", problem, own);
            if (p % 32 == 0) list.Add(new("own|" + problem.TaskId + "|c-compile-error", new JudgeRequest(problem, "int main(void) { this is not C; }\n", "c")));
            if (p % 32 == 0)
            {
                foreach (var rule in new[] { OutputMatch.Exact, OutputMatch.Tokens, OutputMatch.Numeric, OutputMatch.ExactUpToTrailingNewlines,
                             OutputMatch.StrippedEqual, OutputMatch.StrippedLinePrefix, OutputMatch.TacoLenient })
                {
                    string[] modes = ["oracle", "spaced", "wrong", "crash_after", "noise", "crlf", "alternative", "empty"];
                    if (rule == OutputMatch.TacoLenient) modes = [.. modes, "memory", "raise"];
                    Add(list, rule.ToString(), problem with { Judge = judge with { Match = rule, Tolerance = 0 } }, modes);
                }
            }
            if (p % 16 == 0)
            {
                Add(list, "all-tests", problem with { Judge = judge with { RunAllTests = true } }, ["oracle", "wrong", "raise", "crash_after", "empty"]);
            }
            if (p % 32 == 0)
            {
                Add(list, "checker", problem with { Judge = judge with { Match = OutputMatch.Checker, Checker = new("python", Checker) } },
                    ["oracle", "spaced", "wrong", "empty", "crash_after"]);
                Add(list, "checker-fault", problem with { Judge = judge with { Match = OutputMatch.Checker, Checker = new("python", "import sys\nsys.exit(3)\n") } },
                    ["oracle"]);
                Add(list, "checker-missing", problem with { Judge = judge with { Match = OutputMatch.Checker } }, ["oracle"]);
            }
        }
        return list;
    }

    /// <summary>Problems with the oracle as their reference solution, so that their limits are calibrated from it.</summary>
    public static List<Named> Calibrated(IReadOnlyList<Problem> problems)
    {
        var list = new List<Named>();
        for (var p = 3; p < problems.Count; p += 32)
            Add(list, "calibrated", problems[p] with { CanonicalSolution = Program(problems[p], "oracle") }, ["oracle", "wrong", "empty"]);
        return list;
    }

    private static void Add(List<Named> list, string configuration, Problem problem, IEnumerable<string> modes)
    {
        foreach (var mode in modes) list.Add(new($"{configuration}|{problem.TaskId}|{mode}", new JudgeRequest(problem, Program(problem, mode))));
    }

    private const string Checker =
        "import sys\n" +
        "o = open('output.txt').read().split()\n" +
        "e = open('expected.txt').read().split()\n" +
        "print('tokens', len(o), 'vs', len(e))\n" +
        "sys.exit(0 if o == e else 1)\n";

    /// <summary>
    /// A Python program that finds its input among the problem's tests and answers as <paramref name="mode"/> says;
    /// the middle test is the one a wrong, crashing or looping program gets wrong.
    /// </summary>
    private static string Program(Problem problem, string mode)
    {
        var tests = ((StdioJudge)problem.Judge).Tests;
        var table = JsonSerializer.Serialize(tests.Select(t => new object[] { t.Input, new[] { t.ExpectedOutput }.Concat(t.Alternatives ?? []).ToArray() }));
        return $"import sys, json\nTESTS = json.loads({JsonSerializer.Serialize(table)})\nMODE = {JsonSerializer.Serialize(mode)}\nK = {tests.Count / 2}\n" + Body;
    }

    private const string Body = """
        data = sys.stdin.buffer.read().decode('utf-8')
        idx = next((i for i, (inp, _) in enumerate(TESTS) if inp == data), -1)
        outs = TESTS[idx][1] if idx >= 0 else ['']
        out = outs[0]
        def w(s):
            sys.stdout.buffer.write(s.encode('utf-8'))
            sys.stdout.flush()
        def noisy(t):
            try:
                v = float(t)
            except ValueError:
                return t
            if v != v or v in (float('inf'), float('-inf')):
                return t
            return repr(v + 1e-9 * max(1.0, abs(v)))
        if MODE == 'oracle':
            w(out)
        elif MODE == 'spaced':
            w(' '.join(out.split()) + '  \r\n')
        elif MODE == 'wrong':
            w('WRONG\n' if idx == K else out)
        elif MODE == 'crash_after':
            w(out)
            sys.exit(1)
        elif MODE == 'raise':
            if idx == K:
                print(1 // 0)
            w(out)
        elif MODE == 'empty':
            pass
        elif MODE == 'noise':
            w('\n'.join(' '.join(noisy(t) for t in line.split()) for line in out.split('\n')))
        elif MODE == 'alternative':
            w(outs[-1])
        elif MODE == 'crlf':
            w(out.replace('\n', '\r\n'))
        elif MODE == 'loop':
            while idx == K:
                pass
            w(out)
        elif MODE == 'memory':
            w(out)
            if idx == K:
                x = b'x' * (2 ** 30)

        """;
}
