using System.Text.Json;
using Assay.Server.Tests.Support;

namespace Assay.Server.Tests;

/// <summary>`POST /v1/score` through the real pipeline and the real sandbox (WebApplicationFactory).</summary>
[Collection(SandboxCollection.Name)]
public sealed class NativeScoreTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private const string Twice = "def twice(x):\n    return 2 * x\n";

    /// <summary>Twelve asserts on twice(0..11).</summary>
    private static readonly string[] TwelveAsserts = Enumerable.Range(0, 12).Select(i => $"assert twice({i}) == {2 * i}").ToArray();

    private static object AssertTests(string[] tests) => new { kind = "assert", tests, entry_point = "twice" };

    /// <summary>
    /// Python's json.dumps writes broken model output's lone surrogate as `\ud800`; one such character used to make
    /// the whole batch a 400 ("expected a string"). It is replaced with U+FFFD, said in a header, and judged.
    /// </summary>
    [SandboxFact]
    public async Task A_lone_surrogate_in_one_item_is_repaired_and_said_so_and_every_item_is_judged()
    {
        var client = factory.CreateClient();
        const string tests = """{"kind": "assert", "tests": ["assert twice(2) == 4"], "entry_point": "twice"}""";
        var body = $$"""
            {"items": [
              {"id": "plain", "code": "def twice(x):\n    return 2 * x\n", "tests": {{tests}}},
              {"id": "broken", "code": "def twice(x):\n    # model output \ud800 cut mid-character\n    return 2 * x\n", "tests": {{tests}}},
              {"id": "pair", "code": "def twice(x):\n    # \ud83d\ude00 a proper pair\n    return 2 * x\n", "tests": {{tests}}}
            ]}
            """;

        var (status, answer, response) = await Json.PostRawAsync(client, "/v1/score", body);

        Assert.True(status == 200, answer.ToString());
        Assert.All(answer.GetProperty("results").EnumerateArray(), r => Assert.Equal("ok", r.Str("status")));
        Assert.Equal("1 lone UTF-16 surrogate escape replaced with U+FFFD", Assert.Single(response.Headers.GetValues("Assay-Repaired")));
    }

    [SandboxFact]
    public async Task Mixed_batch_gets_one_result_per_item_in_order_with_scores_from_the_verdicts()
    {
        var client = factory.CreateClient();
        var tests = AssertTests(TwelveAsserts[..4]);
        var (status, body, _) = await Json.PostAsync(client, "/v1/score", new
        {
            items = new object[]
            {
                new { id = "correct", completion = "Here:\n```python\n" + Twice + "```\n", tests },
                new { id = "wrong", code = "def twice(x):\n    return x + 2\n", tests },          // right only for x = 2
                new { id = "loop", code = "def twice(x):\n    while True:\n        pass\n", tests },
                // Far more memory than any sandbox gets.
                new { id = "bomb", code = "def twice(x):\n    a = []\n    while True:\n        a.append(bytearray(256 * 1024 * 1024))\n", tests },
                new { id = "syntax", code = "def twice(x) return 2x\n", tests },
            },
            limits = new { time_limit_s = 1.0 },
        });
        Assert.Equal(200, status);
        var results = body.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(["correct", "wrong", "loop", "bomb", "syntax"], results.Select(r => r.Str("id")));
        Assert.All(results, r => Assert.False(r.Bool("infra_error")));
        Assert.All(results, r => Assert.Equal(4, r.Int("total")));

        Assert.Equal((1.0, 4, "ok"), (results[0].Score(), results[0].Int("passed"), results[0].Str("status")));
        Assert.Equal((0.25, 1, "wrong_answer"), (results[1].Score(), results[1].Int("passed"), results[1].Str("status")));
        Assert.Equal((0.0, "time_limit"), (results[2].Score(), results[2].Str("status")));
        Assert.Equal(0.0, results[3].Score());
        // At the memory limit the sandbox's cgroup reclaims until a time limit stops the program, so the harness
        // may report either; what matters is that it is the candidate's verdict, not an infrastructure error.
        Assert.Contains(results[3].Str("status"), new[] { "memory_limit", "runtime_error", "time_limit" });
        Assert.Equal(0.0, results[4].Score());
        Assert.Equal("runtime_error", results[4].Str("status"));
        Assert.Contains("SyntaxError", results[4].Str("error"), StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task Presets_reproduce_each_trainers_definition_on_the_same_verdicts()
    {
        var client = factory.CreateClient();
        // Fails twice(3) only: 11 of 12 tests pass, 9 of the first ten.
        var failsThree = "def twice(x):\n    return 0 if x == 3 else 2 * x\n";
        // Fails twice(11) only: 11 of 12 pass, all of the first ten.
        var failsEleven = "def twice(x):\n    return 0 if x == 11 else 2 * x\n";
        var presets = new[] { "fraction", "verl", "all_or_nothing", "deepcoder", "nemo_rl", "openr1_code", "openr1_binary" };
        var items = presets.SelectMany(p => new[] { failsThree, failsEleven }.Select((code, k) =>
            (object)new { id = $"{p}/{k}", code, tests = AssertTests(TwelveAsserts), preset = p })).ToArray();
        var (status, body, _) = await Json.PostAsync(client, "/v1/score", new { items });
        Assert.Equal(200, status);
        var scores = body.GetProperty("results").EnumerateArray().ToDictionary(r => r.Str("id"), r => r.Score());
        Assert.Equal(11.0 / 12, scores["fraction/0"]!.Value, 9);
        // verl judges the first ten tests only (verl/utils/reward_score/sandbox_fusion/__init__.py: continuous score).
        Assert.Equal(0.9, scores["verl/0"]!.Value, 9);
        Assert.Equal(1.0, scores["verl/1"]);
        Assert.Equal(0.0, scores["all_or_nothing/0"]);
        Assert.Equal(0.0, scores["deepcoder/1"]);
        Assert.Equal(0.0, scores["nemo_rl/1"]);
        Assert.Equal(11.0 / 12, scores["openr1_code/1"]!.Value, 9);
        Assert.Equal(0.0, scores["openr1_binary/1"]);
        var results = body.GetProperty("results").EnumerateArray().ToDictionary(r => r.Str("id"));
        Assert.Equal((9, 10), (results["verl/0"].Int("passed"), results["verl/0"].Int("total")));
        Assert.Equal((10, 10), (results["verl/1"].Int("passed"), results["verl/1"].Int("total")));
        Assert.All(results.Values.Where(r => !r.Str("id").StartsWith("verl/", StringComparison.Ordinal)),
            r => Assert.Equal((11, 12), (r.Int("passed"), r.Int("total"))));
    }

    [SandboxFact]
    public async Task Each_preset_finds_the_code_where_its_trainer_does()
    {
        var client = factory.CreateClient();
        var tests = AssertTests(TwelveAsserts[..2]);
        var bare = Twice;                                            // no fence at all
        var twoBlocks = "```python\ndef twice(x):\n    return 0\n```\nfixed:\n```python\n" + Twice + "```\n";
        var codeThenOutput = "```python\n" + Twice + "```\nRunning it prints:\n```text\ntwice(2) = 4\n```\n";
        var (status, body, _) = await Json.PostAsync(client, "/v1/score", new
        {
            items = new object[]
            {
                new { id = "verl-bare", completion = bare, tests, preset = "verl" },          // verl: no block → 0
                new { id = "fraction-bare", completion = bare, tests, preset = "fraction" },  // the whole text is the program
                new { id = "nemo-bare", completion = bare, tests, preset = "nemo_rl" },
                new { id = "deepcoder-bare", completion = bare, tests, preset = "deepcoder" },
                new { id = "verl-two", completion = twoBlocks, tests, preset = "verl" },       // the last ```python block
                new { id = "nemo-two", completion = twoBlocks, tests, preset = "nemo_rl" },    // the first block
                new { id = "openr1-two", completion = twoBlocks, tests, preset = "openr1_code" },
                // Assay's rule (as `assay eval` reads samples): the block in the item's language, not the output after it.
                new { id = "fraction-output", completion = codeThenOutput, tests, preset = "fraction" },
            },
        });
        Assert.Equal(200, status);
        var r = body.GetProperty("results").EnumerateArray().ToDictionary(x => x.Str("id"));
        Assert.Equal(("no_code", 0.0), (r["verl-bare"].Str("status"), r["verl-bare"].Score()));
        Assert.Equal(("no_code", 0.0), (r["deepcoder-bare"].Str("status"), r["deepcoder-bare"].Score()));
        Assert.Equal(1.0, r["fraction-bare"].Score());
        Assert.Equal(1.0, r["nemo-bare"].Score());
        Assert.Equal(1.0, r["verl-two"].Score());
        Assert.Equal(0.0, r["nemo-two"].Score());
        Assert.Equal(1.0, r["openr1-two"].Score());
        Assert.Equal(1.0, r["fraction-output"].Score());
        Assert.All(r.Values, x => Assert.False(x.Bool("infra_error")));
    }

    [SandboxFact]
    public async Task Dataset_shapes_are_accepted_as_objects_and_as_json_strings()
    {
        var client = factory.CreateClient();
        var code = "def f(x):\n    return [x, x]\n";
        var (status, body, _) = await Json.PostAsync(client, "/v1/score", new
        {
            items = new object[]
            {
                // APPS call-based: f(*inputs[i]) == outputs[i], an expected [v] also accepting v; the third is wrong.
                new { id = "apps", code, tests = JsonSerializer.Serialize(new { fn_name = "f", inputs = new[] { new[] { 1 }, new[] { 2 }, new[] { 3 } },
                    outputs = new object[] { new[] { new[] { 1, 1 } }, new[] { 2, 2 }, new[] { 3 } } }) },
                // verl's assert_case, calling the function by name.
                new { id = "verl", code, tests = new { assert_case = new[] { "assert f(1) == [1, 1]", "assert f(2) == [2, 3]" } } },
                // EvalPlus-style inputs whose expected outputs come from a reference solution.
                new { id = "function", code, tests = new { kind = "function", entry_point = "f", reference = "def f(x):\n    return [x, x] if x < 5 else []\n",
                    inputs = new[] { new[] { 1 }, new[] { 7 } } } },
            },
            details = true,
        });
        Assert.Equal(200, status);
        var r = body.GetProperty("results").EnumerateArray().ToDictionary(x => x.Str("id"));
        Assert.Equal((2, 3), (r["apps"].Int("passed"), r["apps"].Int("total")));
        // Judged as the APPS loader judges it (function results compared outside the program): counts, and the first failure.
        Assert.Equal([false], r["apps"].GetProperty("tests").EnumerateArray().Select(t => t.Bool("passed")));
        Assert.Contains("test 2", r["apps"].Str("error"), StringComparison.Ordinal);
        Assert.Equal((1, 2), (r["verl"].Int("passed"), r["verl"].Int("total")));
        Assert.Equal((1, 2, 0.5), (r["function"].Int("passed"), r["function"].Int("total"), r["function"].Score()!.Value));
    }

    [SandboxFact]
    public async Task Stdio_tests_are_judged_when_this_build_supports_them_and_refused_with_422_otherwise()
    {
        var client = factory.CreateClient();
        var engine = (Judging.JudgeEngine)factory.Services.GetService(typeof(Judging.JudgeEngine))!;
        var supported = engine.Supports(new Core.Problems.Problem("t", "python", "", null, null,
            new Core.Problems.StdioJudge([new Core.Problems.StdioTest("1\n", "2\n")], Core.Problems.OutputMatch.Tokens)));
        var (status, body, _) = await Json.PostAsync(client, "/v1/score", new
        {
            items = new[] { new { code = "print(2 * int(input()))", tests = new { inputs = new[] { "1\n", "5\n" }, outputs = new[] { "2\n", "11\n" } } } },
        });
        if (supported)
        {
            Assert.Equal(200, status);
            var result = body.GetProperty("results")[0];
            Assert.Equal((1, 2, 0.5), (result.Int("passed"), result.Int("total"), result.Score()!.Value));
        }
        else
        {
            Assert.Equal(422, status);
            Assert.Contains("not supported by this build", body.Str("error"), StringComparison.Ordinal);
        }
    }

    /// <summary>`public class Solution` (what models write) used to be a compile error: Main.java may not declare it.</summary>
    [ToolchainFact("java")]
    public async Task A_java_public_class_Solution_is_scored_on_its_output()
    {
        const string solution = "import java.util.*;\n\npublic class Solution {\n    public static void main(String[] args) {\n"
            + "        Scanner in = new Scanner(System.in);\n        System.out.println(in.nextInt() * 2);\n    }\n}\n";
        var (status, body, _) = await Json.PostAsync(factory.CreateClient(), "/v1/score", new
        {
            items = new[] { new { language = "java", completion = "```java\n" + solution + "```\n", tests = new { inputs = new[] { "21\n", "5\n" }, outputs = new[] { "42\n", "10\n" } } } },
        });
        Assert.Equal(200, status);
        var result = body.GetProperty("results")[0];
        Assert.True(result.Str("status") == "ok", result.ToString());
        Assert.Equal((1.0, 2), (result.Score(), result.Int("passed")));
    }

    [SandboxFact]
    public async Task Items_still_queued_at_the_deadline_are_infra_errors_with_no_score()
    {
        var client = factory.CreateClient();
        // The dispatcher collects items for a few milliseconds before judging: a 1 ms deadline has passed by then.
        var (status, body, _) = await Json.PostAsync(client, "/v1/score", new
        {
            items = new[] { new { code = Twice, tests = AssertTests(TwelveAsserts[..1]) } },
            deadline_s = 0.001,
        });
        Assert.Equal(200, status);
        var result = body.GetProperty("results")[0];
        Assert.True(result.Bool("infra_error"));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("score").ValueKind);
        Assert.Equal("deadline_exceeded", result.Str("status"));
    }

    [SandboxTheory]
    [InlineData("not json", "malformed JSON body")]
    [InlineData("{\"itemz\": []}", "unknown field")]
    [InlineData("{}", "missing required field(s): 'items'")]
    [InlineData("{\"items\": []}", "items: empty")]
    [InlineData("{\"items\": [{\"code\": 1, \"tests\": []}]}", "$.items[0].code")]
    [InlineData("{\"items\": [{\"code\": \"x\"}]}", "tests")]
    [InlineData("{\"items\": [{\"tests\": {\"assert_case\": [\"assert 1\"]}}]}", "items[0]: missing completion")]
    [InlineData("{\"items\": [{\"code\": \"x\", \"completion\": \"y\", \"tests\": {\"assert_case\": [\"assert 1\"]}}]}", "either code or completion")]
    [InlineData("{\"preset\": \"grpo\", \"items\": [{\"code\": \"x\", \"tests\": {\"assert_case\": [\"assert 1\"]}}]}", "preset: unknown `grpo`")]
    [InlineData("{\"items\": [{\"language\": \"cobol\", \"code\": \"x\", \"tests\": {\"assert_case\": [\"assert 1\"]}}]}", "unknown language `cobol`")]
    [InlineData("{\"items\": [{\"language\": \"cpp\", \"code\": \"x\", \"tests\": {\"assert_case\": [\"assert 1\"]}}]}", "assert tests are Python")]
    [InlineData("{\"items\": [{\"code\": \"x\", \"tests\": {\"inputs\": [\"1\"], \"outputs\": []}}]}", "1 inputs but 0 outputs")]
    [InlineData("{\"items\": [{\"code\": \"x\", \"tests\": {\"kind\": \"stdio\", \"tests\": [{\"input\": \"1\"}]}}]}", "missing output")]
    [InlineData("{\"items\": [{\"code\": \"x\", \"tests\": {\"fn_name\": \"f\", \"inputs\": [[1], 2], \"outputs\": [1, 2]}}]}", "tests: inputs[1] must be a list of arguments")]
    [InlineData("{\"items\": [{\"code\": \"x\", \"tests\": {\"fn_name\": \"f\", \"inputs\": [[1]], \"outputs\": [1, 2]}}]}", "tests: 1 inputs but 2 outputs")]
    [InlineData("{\"items\": [{\"code\": \"x\", \"tests\": {\"kind\": \"magic\"}}]}", "`magic` is not a kind of tests")]
    [InlineData("{\"items\": [{\"code\": \"x\", \"tests\": \"{not json\"}]}", "a string of tests must hold JSON")]
    [InlineData("{\"items\": [{\"code\": \"x\", \"tests\": {\"assert_case\": [\"assert 1\"]}, \"limits\": {\"time_limit_s\": 0}}]}", "time_limit_s must be between")]
    [InlineData("{\"deadline_s\": -1, \"items\": [{\"code\": \"x\", \"tests\": {\"assert_case\": [\"assert 1\"]}}]}", "deadline_s must be between")]
    [InlineData("{\"items\": [{\"code\": \"x\", \"tests\": {\"assert_case\": [\"assert 1\"]}, \"compare\": \"fuzzy\"}]}", "not a comparison")]
    [InlineData("{\"items\": [{\"code\": \"x\", \"tests\": {\"assert_case\": [\"assert 1\"]}, \"limits\": {\"memory_mb\": 16}}]}", "memory_mb must be between 64 and 16384")]
    [InlineData("{\"limits\": {\"memory_mb\": 100000}, \"items\": [{\"code\": \"x\", \"tests\": {\"assert_case\": [\"assert 1\"]}}]}", "limits.memory_mb must be between")]
    public async Task Malformed_requests_get_400_saying_what_is_wrong(string body, string message)
    {
        var client = factory.CreateClient();
        var (status, answer, _) = await Json.PostRawAsync(client, "/v1/score", body);
        Assert.Equal(400, status);
        Assert.Contains(message, answer.Str("error"), StringComparison.Ordinal);
    }

    [SandboxFact]
    public async Task A_body_that_is_not_json_gets_415()
    {
        var (status, _, _) = await Json.PostRawAsync(factory.CreateClient(), "/v1/score", "items=1", "application/x-www-form-urlencoded");
        Assert.Equal(415, status);
    }
}
