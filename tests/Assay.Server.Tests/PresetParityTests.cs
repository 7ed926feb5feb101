using Assay.Server.Tests.Support;

namespace Assay.Server.Tests;

/// <summary>
/// stdin/stdout items scored under each trainer's preset through the real pipeline and sandbox: every test's
/// outcome is kept when the reward counts tests, and each trainer's comparison decides what passes.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class PresetParityTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    /// <summary>Prints 2x for input x, except for x = 0 (the first test), where it prints -1.</summary>
    private const string FailsFirst = "x = int(input())\nprint(-1 if x == 0 else 2 * x)\n";

    private static object Doubling(int n) => new
    {
        inputs = Enumerable.Range(0, n).Select(i => $"{i}\n").ToArray(),
        outputs = Enumerable.Range(0, n).Select(i => $"{2 * i}\n").ToArray(),
    };

    private async Task<Dictionary<string, System.Text.Json.JsonElement>> ScoreAsync(params object[] items)
    {
        var (status, body, _) = await Json.PostAsync(factory.CreateClient(), "/v1/score", new { items, limits = new { time_limit_s = 2.0 }, details = true });
        Assert.Equal(200, status);
        var results = body.GetProperty("results").EnumerateArray().ToDictionary(r => r.Str("id"));
        Assert.All(results.Values, r => Assert.False(r.Bool("infra_error")));
        return results;
    }

    [SandboxFact]
    public async Task A_program_that_fails_the_first_test_keeps_the_tests_it_passes()
    {
        // The case: fails test 1 of 9, passes the other eight. Stopping at the first failure scored it 0.
        var r = await ScoreAsync(
            new { id = "fraction", code = FailsFirst, tests = Doubling(9), preset = "fraction" },
            new { id = "verl", code = FailsFirst, tests = Doubling(9), preset = "verl" },
            new { id = "openr1", code = FailsFirst, tests = Doubling(9), preset = "openr1_code" },
            new { id = "all", code = FailsFirst, tests = Doubling(9), preset = "all_or_nothing" });
        foreach (var id in new[] { "fraction", "verl", "openr1" })
        {
            Assert.Equal((8, 9), (r[id].Int("passed"), r[id].Int("total")));
            Assert.Equal(8.0 / 9, r[id].Score()!.Value, 9);
            Assert.Equal(9, r[id].GetProperty("tests").GetArrayLength());
            Assert.Equal("wrong_answer", r[id].GetProperty("tests")[0].Str("status"));
        }
        // All-or-nothing is decided by the first failure; judging stops there.
        Assert.Equal(0.0, r["all"].Score());
    }

    [SandboxFact]
    public async Task Verl_judges_the_first_ten_tests_and_divides_by_min_n_10()
    {
        // Twelve tests; the program is wrong only on the last two, which verl does not count.
        var wrongLate = "x = int(input())\nprint(0 if x >= 10 else 2 * x)\n";
        var r = await ScoreAsync(
            new { id = "verl", code = wrongLate, tests = Doubling(12), preset = "verl" },
            new { id = "verl-first", code = FailsFirst, tests = Doubling(12), preset = "verl" },
            new { id = "fraction", code = wrongLate, tests = Doubling(12), preset = "fraction" });
        Assert.Equal((1.0, 10, 10), (r["verl"].Score()!.Value, r["verl"].Int("passed"), r["verl"].Int("total")));
        Assert.Equal((0.9, 10), (r["verl-first"].Score()!.Value, r["verl-first"].Int("total")));
        Assert.Equal(10.0 / 12, r["fraction"].Score()!.Value, 9);
    }

    [SandboxFact]
    public async Task Each_trainers_comparison_decides_what_passes()
    {
        var tests = new { inputs = new[] { "" }, outputs = new[] { "1\n2\n" } };
        object Item(string id, string code, string preset) => new { id, code, tests, preset };
        var crlf = "import sys\nsys.stdout.write('1\\r\\n2\\r\\n')\n";
        var trailingSpace = "print('1 ')\nprint(2)\n";
        var tooFew = "print(1)\n";
        var r = await ScoreAsync(
            // verl compares exactly up to trailing newlines: \r and a trailing space fail there.
            Item("verl-crlf", crlf, "verl"), Item("verl-space", trailingSpace, "verl"), Item("verl-ok", "print(1)\nprint(2)\n\n", "verl"),
            // Assay's default compares tokens.
            Item("fraction-crlf", crlf, "fraction"), Item("fraction-space", trailingSpace, "fraction"),
            // NeMo-RL strips the whole text read through a text-mode pipe: \r\n is \n there, an inner space is not.
            Item("nemo-crlf", crlf, "nemo_rl"), Item("nemo-space", trailingSpace, "nemo_rl"),
            // open-r1 compares the lines zip pairs: too few lines pass.
            Item("openr1-few", tooFew, "openr1_code"), Item("openr1-space", trailingSpace, "openr1_code"),
            // DeepCoder's TACO rule does not compare words that differ, and judges output whatever the exit status.
            Item("deepcoder-words", "print('a')\nprint('b')\n", "deepcoder"),
            Item("deepcoder-crash", "print(1)\nprint(2)\nraise SystemExit(3)\n", "deepcoder"),
            Item("verl-crash", "print(1)\nprint(2)\nraise SystemExit(3)\n", "verl"));
        var expected = new Dictionary<string, double>
        {
            ["verl-crlf"] = 0, ["verl-space"] = 0, ["verl-ok"] = 1,
            ["fraction-crlf"] = 1, ["fraction-space"] = 1,
            ["nemo-crlf"] = 1, ["nemo-space"] = 0,
            ["openr1-few"] = 1, ["openr1-space"] = 1,
            ["deepcoder-words"] = 1, ["deepcoder-crash"] = 1, ["verl-crash"] = 0,
        };
        Assert.Equal(expected.OrderBy(x => x.Key, StringComparer.Ordinal), r.Select(x => KeyValuePair.Create(x.Key, x.Value.Score()!.Value)).OrderBy(x => x.Key, StringComparer.Ordinal));
        Assert.Equal("runtime_error", r["verl-crash"].Str("status"));
    }

    [SandboxFact]
    public async Task Under_open_r1_a_test_that_times_out_makes_the_reward_zero()
    {
        var tests = new { inputs = new[] { "1\n", "2\n", "3\n" }, outputs = new[] { "1\n", "2\n", "3\n" } };
        var code = "x = int(input())\nwhile x == 3:\n    pass\nprint(x)\n";
        var r = await ScoreAsync(new { id = "openr1", code, tests, preset = "openr1_code" }, new { id = "fraction", code, tests, preset = "fraction" });
        Assert.Equal(0.0, r["openr1"].Score());
        Assert.Equal(2, r["openr1"].Int("passed"));
        Assert.Equal(2.0 / 3, r["fraction"].Score()!.Value, 9);
    }

    [SandboxFact]
    public async Task Open_r1_runs_the_empty_program_when_there_is_no_python_block()
    {
        // open-r1 extracts "" and runs it: the empty output passes a test whose expected output starts with an empty line.
        var tests = new { inputs = new[] { "", "" }, outputs = new[] { "\nx\n", "x\n" } };
        var r = await ScoreAsync(new { id = "openr1", completion = "no code here", tests, preset = "openr1_code" });
        Assert.Equal((0.5, 1, "wrong_answer"), (r["openr1"].Score()!.Value, r["openr1"].Int("passed"), r["openr1"].Str("status")));
    }
}
