namespace Assay.Evaluation.Tests.MultiLanguage;

/// <summary>
/// The MultiPL-E and MBXP languages whose test-program assembly is only their toolchain file's `test_program`
/// section (perl, r, racket, d, scala, kotlin), in each benchmark's own test style; and the end-of-tests marker
/// that a candidate reading its own stdin cannot forge.
/// </summary>
public sealed partial class TestProgramJudgeTests
{
    private static Dictionary<string, Case> WithNewLanguages(Dictionary<string, Case> cases)
    {
        cases["perl"] = new("perl", "sub add {\n    my($x, $y) = @_;\n",
            "use Test::Deep;\n\n\nsub testhumaneval {\n    my $candidate = \\&add;\n        if(eq_deeply($candidate->(2, 3),5)) {\n        print \"ok!\" }else{\n        exit 1;\n        }\n" +
            "        if(eq_deeply($candidate->(-1, 1),0)) {\n        print \"ok!\" }else{\n        exit 1;\n        }\n}\n\ntesthumaneval();",
            ["\nsub", "\n#", "\n\n"],
            "    return $x + $y;\n}\n", "    return $x - $y;\n}\n", "runtime_error", "    return $x + ;\n}\n", "runtime_error",
            "    exit(0);\n}\n", "    while (1) {}\n}\n");
        cases["r"] = new("r", "add <- function(a, b) {\n",
            "test_humaneval <- function() {\n    candidate <- add\n    stopifnot(isTRUE(all.equal(candidate(2, 3), 5)))\n    stopifnot(isTRUE(all.equal(candidate(-1, 1), 0)))\n}\ntest_humaneval()",
            ["\n#", "\n```"],
            "    return(a + b)\n}\n", "    return(a - b)\n}\n", "wrong_answer", "    return(a + )\n}\n", "runtime_error",
            "    quit(status = 0)\n}\n", "    while (TRUE) {}\n}\n");
        // rackunit reports a failed check and carries on with status 0; the epilogue turns any failure into status 1.
        cases["racket"] = new("racket", "#lang racket\n\n(define (add a b)\n",
            "(require rackunit)\n\n(define (test-humaneval) \n\n  (let (( candidate add))\n    (check-equal? (candidate 2 3) 5)\n    (check-equal? (candidate -1 1) 0)\n))\n\n(test-humaneval)",
            ["\n(define ", "\n#|", "\n;", "\n("],
            "  (+ a b))\n", "  (- a b))\n", "wrong_answer", "  (+ a b)\n", "runtime_error",
            "  (exit 0))\n", "  (let loop () (loop)))\n", TimeLimit: "3");
        cases["d"] = new("d", "import std.math;\nlong add(long a, long b) \n{\n",
            "unittest\n{\n    alias candidate = add;\n\n    assert(candidate(2L, 3L) == 5L);\n    assert(candidate(-1L, 1L) == 0L);\n}\nvoid main(){}",
            ["\n\n", "\nvoid", "\nbool", "\nint"],
            "    return a + b;\n}\n", "    return a - b;\n}\n", "wrong_answer", "    return a + ;\n}\n", "compile_error",
            "    import core.stdc.stdlib : exit;\n    exit(0);\n    return 0;\n}\n", "    while (true) {}\n}\n");
        cases["scala"] = new("scala", "import scala.math._\nobject Problem {\n    def add(a : Long, b : Long) : Long = {\n",
            "    }\n    def main(args: Array[String]) = {\n    assert(add((2l), (3l)) == (5l));\n    assert(add((-1l), (1l)) == (0l));\n    }\n\n}\n", ["\n    }\n"],
            "        a + b\n    }\n", "        a - b\n    }\n", "wrong_answer", "        a + \n    }\n", "compile_error",
            "        sys.exit(0)\n    }\n", "        while (true) {}\n        0L\n    }\n", TimeLimit: "4");
        cases["kotlin"] = new("kotlin", "fun add(a : Long, b : Long) : Long {\n",
            "}\n\nfun main() {\n    var x0 : Long = add(2L, 3L);\n    if (x0 != 5L) {\n        throw Exception(\"Exception -- test case 0 did not pass. x0 = \" + x0)\n    }\n" +
            "    var x1 : Long = add(-1L, 1L);\n    if (x1 != 0L) {\n        throw Exception(\"Exception -- test case 1 did not pass. x1 = \" + x1)\n    }\n}\n", ["\n}"],
            "    return a + b\n}\n", "    return a - b\n}\n", "wrong_answer", "    return a + \n}\n", "compile_error",
            "    System.exit(0)\n    return 0\n}\n", "    while (true) {}\n    return 0\n}\n", TimeLimit: "4");
        return cases;
    }

    /// <summary>
    /// Candidates written against the judge's protocol: they read stdin (where the nonce comes), print a marker
    /// line with what they read and exit with status 0 before the tests run. The prelude has drained stdin first, so
    /// the line they print carries no nonce and the run fails.
    /// </summary>
    private static readonly Dictionary<string, string> Forgers = new()
    {
        ["python"] = "    import sys\n    n = sys.stdin.readline().strip()\n    sys.stdout.write('\\nMARKER' + n + '\\n')\n    sys.stdout.flush()\n    sys.exit(0)\n",
        ["javascript"] = "  let n = ''; try { n = require('fs').readFileSync(0, 'utf8').trim(); } catch (e) { }\n  process.stdout.write('\\nMARKER' + n + '\\n');\n  process.exit(0);\n}\n",
        ["cpp"] = "    char n[256] = {0};\n    if (!fgets(n, sizeof n, stdin)) n[0] = 0;\n    n[strcspn(n, \"\\r\\n \")] = 0;\n    printf(\"\\nMARKER%s\\n\", n);\n    fflush(stdout);\n    exit(0);\n}\n",
        ["java"] = "        try { String n = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();\n" +
            "        System.out.print(\"\\nMARKER\" + (n == null ? \"\" : n.trim()) + \"\\n\"); System.out.flush(); } catch (Exception e) { }\n        System.exit(0);\n        return 0;\n    }\n",
        ["perl"] = "    my $n = <STDIN>; $n = '' unless defined $n; $n =~ s/\\s+$//;\n    print \"\\nMARKER$n\\n\";\n    exit(0);\n}\n",
    };

    public static TheoryData<string> ForgerLanguages => new(Forgers.Keys);

    [ToolchainTheory("python", "javascript", "cpp", "java", "perl")]
    [MemberData(nameof(ForgerLanguages))]
    public async Task A_candidate_that_reads_stdin_cannot_forge_the_end_of_tests_marker(string language)
    {
        var c = Cases[language];
        var forger = Forgers[language].Replace("MARKER", Assay.Execution.Judging.TestProgramSource.Marker, StringComparison.Ordinal);
        var problems = _dir.WriteJsonl($"forge-{language}.jsonl",
            [new { name = "Forge_" + language, language = c.Language, prompt = c.Prompt, tests = c.Tests, stop_tokens = c.StopTokens }]);
        var samples = _dir.WriteJsonl($"forge-{language}-samples.jsonl",
            [new { task_id = "Forge_" + language, completion = forger }, new { task_id = "Forge_" + language, completion = c.Correct }]);

        var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1", "--time-limit", c.TimeLimit);

        Assert.Equal([false, true], run.Verdicts.Select(v => v.Passed));
        Assert.Equal("runtime_error", run.Verdicts[0].Status);
    }
}
