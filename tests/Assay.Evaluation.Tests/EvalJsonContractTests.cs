using System.Text.Json;
using Assay.Cli;
using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests;

/// <summary>`assay eval --json`: every field, pass@k only where defined, exit codes, and the results file.</summary>
[Collection(SandboxCollection.Name)]
public sealed class EvalJsonContractTests(EvalJsonContractTests.Run shared) : IClassFixture<EvalJsonContractTests.Run>, IDisposable
{
    public static readonly string[] Fields =
    [
        "pass_at_k", "pass_at_k_ci95", "problems", "samples", "passed", "status_counts", "distinct_programs", "judged_now",
        "samples_from_store", "judged_alone", "per_problem_pass_rate", "reference_failures", "bad_records", "timing", "results_file",
    ];

    private static readonly string[] Statuses =
        ["ok", "wrong_answer", "runtime_error", "time_limit", "memory_limit", "output_limit", "compile_error", "sandbox_error"];

    /// <summary>
    /// add: 6 samples, 1 right; mul: 7 samples, 3 right; interleaved. Min n is 6, so of --k 1,5,200 only 1 and 5
    /// are defined.
    /// </summary>
    private static readonly (string TaskId, string Completion, bool Passes)[] Samples =
    [
        (Tiny.AddId, "    return a - b\n", false),
        (Tiny.MulId, "    return a * b\n", true),
        (Tiny.AddId, "    return a + b\n", true),
        (Tiny.MulId, "    return a + b\n", false),
        (Tiny.AddId, "    return a * b\n", false),
        (Tiny.MulId, "    return b * a\n", true),
        (Tiny.AddId, "    return 0\n", false),
        (Tiny.MulId, "    return 0\n", false),
        (Tiny.AddId, "    return a\n", false),
        (Tiny.MulId, "    return a\n", false),
        (Tiny.AddId, "    return b\n", false),
        (Tiny.MulId, "    return a * b * 1\n", true),
        (Tiny.MulId, "    raise ValueError('no')\n", false),
    ];

    /// <summary>One evaluation shared by the tests that read its report and results file.</summary>
    public sealed class Run : IDisposable
    {
        private readonly TempDir _dir = new();
        private readonly Lazy<Task<EvalRun>> _run;

        public Run() => _run = new(() =>
        {
            var problems = Tiny.WriteProblems(_dir);
            SamplesPath = _dir.WriteJsonl("samples.jsonl", Samples.Select(s => Tiny.Completion(s.TaskId, s.Completion)));
            return AssayCli.EvalAsync(_dir, problems, SamplesPath, _dir.PathOf("verdicts.db"), "--k", "1,5,200");
        });

        public string SamplesPath { get; private set; } = "";

        public Task<EvalRun> GetAsync() => _run.Value;

        public void Dispose() => _dir.Dispose();
    }

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>1 − C(n−c, k)/C(n, k), computed here independently of Assay's estimator.</summary>
    private static double PassAtK(int n, int c, int k)
    {
        static double Choose(int n, int k)
        {
            if (k < 0 || k > n) return 0;
            var result = 1.0;
            for (var i = 1; i <= k; i++) result = result * (n - k + i) / i;
            return result;
        }
        return 1 - Choose(n - c, k) / Choose(n, k);
    }

    [SandboxFact]
    public async Task Json_report_has_every_field_with_consistent_values()
    {
        var run = await shared.GetAsync();
        var report = run.Report;
        foreach (var field in Fields) Assert.True(report.TryGetProperty(field, out _), $"missing field {field}: {report}");

        Assert.Equal(2, run.Int("problems"));
        Assert.Equal(Samples.Length, run.Int("samples"));
        Assert.Equal(Samples.Count(s => s.Passes), run.Int("passed"));

        var counts = report.GetProperty("status_counts");
        Assert.Equal(Statuses.Order(), counts.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(Samples.Length, counts.EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(run.Int("passed"), counts.GetProperty("ok").GetInt32());
        Assert.Equal(Samples.Length - 1, counts.GetProperty("wrong_answer").GetInt32() + counts.GetProperty("ok").GetInt32());
        Assert.Equal(1, counts.GetProperty("runtime_error").GetInt32());

        Assert.Equal(Samples.Length, run.Int("distinct_programs"));
        Assert.Equal(Samples.Length, run.Int("judged_now"));
        Assert.Equal(0, run.Int("samples_from_store"));
        Assert.InRange(run.Int("judged_alone"), 0, Samples.Length);

        var rates = report.GetProperty("per_problem_pass_rate");
        Assert.Equal(2, rates.EnumerateObject().Count());
        Assert.Equal(1.0 / 6, rates.GetProperty(Tiny.AddId).GetDouble(), 6);
        Assert.Equal(3.0 / 7, rates.GetProperty(Tiny.MulId).GetDouble(), 6);

        Assert.Equal(JsonValueKind.Array, report.GetProperty("reference_failures").ValueKind);
        Assert.Empty(report.GetProperty("reference_failures").EnumerateArray());
        Assert.Equal(JsonValueKind.Array, report.GetProperty("bad_records").ValueKind);
        Assert.Empty(report.GetProperty("bad_records").EnumerateArray());

        var timing = report.GetProperty("timing");
        foreach (var name in new[] { "total_seconds", "judging_seconds", "samples_per_second" })
            Assert.True(timing.GetProperty(name).GetDouble() > 0, $"timing.{name} = {timing}");
        Assert.True(timing.GetProperty("judging_seconds").GetDouble() <= timing.GetProperty("total_seconds").GetDouble(), timing.ToString());

        Assert.Equal(run.ResultsPath, report.GetProperty("results_file").GetString());
    }

    [SandboxFact]
    public async Task Pass_at_k_is_reported_only_for_k_up_to_the_smallest_sample_count()
    {
        var run = await shared.GetAsync();
        var passAtK = run.Report.GetProperty("pass_at_k");
        var intervals = run.Report.GetProperty("pass_at_k_ci95");
        Assert.Equal(["1", "5"], passAtK.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["1", "5"], intervals.EnumerateObject().Select(p => p.Name));

        Assert.Equal((PassAtK(6, 1, 1) + PassAtK(7, 3, 1)) / 2, run.PassAt(1), 6);
        Assert.Equal((PassAtK(6, 1, 5) + PassAtK(7, 3, 5)) / 2, run.PassAt(5), 6);
        foreach (var k in new[] { 1, 5 })
        {
            var ci = intervals.GetProperty(k.ToString(System.Globalization.CultureInfo.InvariantCulture)).EnumerateArray().Select(e => e.GetDouble()).ToList();
            Assert.Equal(2, ci.Count);
            Assert.True(ci[0] <= run.PassAt(k) && run.PassAt(k) <= ci[1], $"pass@{k} = {run.PassAt(k)} outside [{ci[0]}, {ci[1]}]");
            Assert.True(ci[0] >= 0 && ci[1] <= 1);
        }
    }

    [SandboxFact]
    public async Task Results_file_has_one_line_per_sample_in_sample_order()
    {
        var run = await shared.GetAsync();
        Assert.Equal(Samples.Length, File.ReadAllLines(run.ResultsPath).Length);
        Assert.Equal(Samples.Length, run.Results.Count);
        var perTask = new Dictionary<string, int>();
        for (var i = 0; i < Samples.Length; i++)
        {
            var line = run.Results[i];
            var expected = Samples[i];
            var completionId = perTask.GetValueOrDefault(expected.TaskId);
            perTask[expected.TaskId] = completionId + 1;
            Assert.Equal(expected.TaskId, line.GetProperty("task_id").GetString());
            Assert.Equal(completionId, line.GetProperty("completion_id").GetInt32());
            Assert.Equal(expected.Completion, line.GetProperty("completion").GetString());
            Assert.Equal(expected.Passes, line.GetProperty("passed").GetBoolean());
            var status = line.GetProperty("status").GetString();
            Assert.Contains(status, Statuses);
            Assert.Equal(expected.Passes, status == "ok");
            var result = line.GetProperty("result").GetString()!;
            if (expected.Passes) Assert.Equal("passed", result);
            else Assert.StartsWith("failed: ", result);
            var tests = line.GetProperty("tests");
            Assert.Equal(JsonValueKind.Array, tests.ValueKind);
            // A human-eval problem is one test: check(candidate).
            var test = Assert.Single(tests.EnumerateArray());
            Assert.Equal(expected.Passes, test.GetProperty("passed").GetBoolean());
            Assert.Equal(status, test.GetProperty("status").GetString());
        }
        Assert.Contains("ValueError: no", run.Results[^1].GetProperty("result").GetString());
    }

    [SandboxFact]
    public async Task Skipped_bad_records_and_failing_reference_solutions_are_reported_in_the_json()
    {
        var problems = _dir.WriteLines("problems.jsonl",
        [
            JsonSerializer.Serialize(Tiny.AddProblem),
            JsonSerializer.Serialize(new
            {
                task_id = "Tiny/9",
                prompt = "def nine():\n",
                entry_point = "nine",
                canonical_solution = "    return 8\n",
                test = "def check(candidate):\n    assert candidate() == 9, 'nine() should be 9'\n",
            }),
        ]);
        var samples = _dir.WriteLines("samples.jsonl",
        [
            """{"task_id": "Tiny/0", "completion": "    return a + b\n"}""",
            """{"task_id": "Tiny/0", "completion": """,
            """{"task_id": "Tiny/9", "completion": "    return 9\n"}""",
            """{"task_id": "Tiny/5", "completion": "    return 5\n"}""",
        ]);
        var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1", "--on-bad-record", "skip");

        Assert.Equal(2, run.Int("samples"));
        Assert.Equal(2, run.Int("passed"));
        var bad = run.Report.GetProperty("bad_records").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(2, bad.Count);
        Assert.StartsWith($"{samples}:2: not valid JSON", bad[0]);
        Assert.Equal($"{samples}:4: unknown task_id Tiny/5", bad[1]);
        Assert.Contains($"{samples}:2:", run.Cli.Stderr);
        var failure = Assert.Single(run.Report.GetProperty("reference_failures").EnumerateArray()).GetString()!;
        Assert.StartsWith("Tiny/9: wrong_answer", failure);
        Assert.Contains("nine() should be 9", failure);
    }

    // ---- exit code 2: bad input, no sandbox needed ----

    [Fact]
    public async Task Missing_problem_file_is_exit_code_2()
    {
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var missing = _dir.PathOf("no-such-problems.jsonl");
        var run = await AssayCli.RunAsync("eval", "--problems", missing, "--samples", samples, "--json", "--no-store", "--out", _dir.PathOf("r.jsonl"));
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains(missing, run.Stderr);
        Assert.Equal("", run.Stdout);
        Assert.False(File.Exists(_dir.PathOf("r.jsonl")));
    }

    [Fact]
    public async Task Missing_sample_file_is_exit_code_2()
    {
        var problems = Tiny.WriteProblems(_dir);
        var missing = _dir.PathOf("no-such-samples.jsonl");
        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", missing, "--json", "--no-store", "--out", _dir.PathOf("r.jsonl"));
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains(missing, run.Stderr);
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task Malformed_sample_line_with_on_bad_record_stop_is_exit_code_2_naming_file_and_line()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteLines("samples.jsonl",
        [
            """{"task_id": "Tiny/0", "completion": "    return a + b\n"}""",
            """{"task_id": "Tiny/0", "completion": "    return a + b\n"}""",
            "{\"task_id\": \"Tiny/0\", \"completion\": ",
        ]);
        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--json", "--no-store",
            "--on-bad-record", "stop", "--out", _dir.PathOf("r.jsonl"));
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains($"{samples}:3:", run.Stderr);
        Assert.Equal("", run.Stdout);
        Assert.False(File.Exists(_dir.PathOf("r.jsonl")));
    }

    [Fact]
    public async Task Malformed_problem_line_by_default_is_exit_code_2_naming_file_and_line()
    {
        var problems = _dir.WriteLines("problems.jsonl", [JsonSerializer.Serialize(Tiny.AddProblem), "not json at all"]);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--json", "--no-store", "--out", _dir.PathOf("r.jsonl"));
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains($"{problems}:2:", run.Stderr);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1,x")]
    [InlineData("1.5")]
    [InlineData(",")]
    public async Task Bad_k_is_exit_code_2(string k)
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--json", "--no-store", "--k", k, "--out", _dir.PathOf("r.jsonl"));
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains("--k", run.Stderr);
        Assert.Equal("", run.Stdout);
    }
}
