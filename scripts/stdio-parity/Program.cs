using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Problems;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;
using Assay.Evaluation;
using Assay.Evaluation.Pipeline;
using Assay.Execution.Running;
using Assay.Storage;
using Assay.StdioParity;

// Per-sample verdicts of real stdin/stdout problems, to compare two revisions of the judge (issue 10: the stdout
// comparison moved from the sandbox layer into the stdio mode's Decide). Usage:
//   stdio-parity dump PROBLEMS.jsonl OUT.jsonl     judge and write one line per request
//   stdio-parity compare BEFORE.jsonl AFTER.jsonl  exit 1 when a verdict or a content key differs
// The programs are written here from each problem's own tests (the data has no solutions): right answers in
// several spellings, a wrong answer, crashes before and after printing, a time-out, the memory limit, nothing
// printed, a compile error; under every comparison rule, a checker, every test run, and a calibrated limit.
return args switch
{
    ["dump", var problems, var output] => await Dump(problems, output),
    ["compare", var before, var after] => Compare(before, after),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: stdio-parity dump PROBLEMS.jsonl OUT.jsonl | compare BEFORE.jsonl AFTER.jsonl");
    return 2;
}

static async Task<int> Dump(string path, string output)
{
    var (runner, why) = ProgramRunner.Create(concurrency: 2);
    if (runner is null)
    {
        Console.Error.WriteLine(why);
        return 2;
    }
    using (runner)
    {
        var bad = new List<BadRecord>();
        var problems = ProblemFile.Load(path, ProblemFormat.Auto, BadRecordPolicy.Skip, bad, runner.Catalog.Languages)
            .Where(p => p.Judge is StdioJudge).ToList();
        Console.Error.WriteLine($"{problems.Count} stdin/stdout problems ({bad.Count} records skipped)");
        var lines = new List<string>();
        // Fixed limits (and the problems' own tests) make keys deterministic; the calibrated part's limits come from a
        // measurement, so only its reference keys and its verdicts are compared.
        foreach (var (part, requests) in new[] { ("fixed", Requests.Fixed(problems)), ("calibrated", Requests.Calibrated(problems)) })
        {
            var store = new RecordingStore();
            var pipeline = new JudgingPipeline(runner, store, new EvaluationOptions());
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var result = await pipeline.JudgeAsync(requests.Select(r => r.Request).ToList(),
                new Progress<EvaluationProgress>(p => { if (p.Done % 200 == 0) Console.Error.WriteLine($"{part}: {p.Done}/{p.Total}"); }));
            Console.Error.WriteLine($"{part}: {requests.Count} requests, {result.DistinctPrograms} distinct, {clock.Elapsed.TotalSeconds:F0} s");
            for (var i = 0; i < requests.Count; i++)
            {
                var verdict = result.Programs[i].Verdict;
                var key = store.KeyOf(verdict);
                lines.Add(new JsonObject
                {
                    ["id"] = part + "|" + requests[i].Id,
                    ["key"] = part == "fixed" ? key : null,
                    ["verdict"] = Project(verdict),
                }.ToJsonString());
            }
            foreach (var (key, verdict) in store.References.OrderBy(r => r.Key, StringComparer.Ordinal))
                lines.Add(new JsonObject { ["id"] = part + "|stored|" + key, ["key"] = key, ["verdict"] = Project(verdict) }.ToJsonString());
        }
        await File.WriteAllLinesAsync(output, lines);
        Console.Error.WriteLine($"{lines.Count} lines written to {output}");
        return 0;
    }
}

// What does not depend on the machine: statuses, messages, counts, each test's outcome; never times or memory.
static JsonObject Project(ProgramVerdict v) => new()
{
    ["status"] = v.Status.ToWireName(),
    ["error"] = v.Error,
    ["total"] = v.TestsTotal,
    ["passed"] = v.TestsPassed,
    ["excluded"] = v.TestsExcluded,
    ["base_passed"] = v.BasePassed,
    ["isolated"] = v.Isolated,
    ["transient"] = v.Transient,
    ["storable"] = v.IsStorable,
    ["tests"] = new JsonArray([.. v.Tests.Select(t => (JsonNode)new JsonArray(JsonValue.Create(t.Passed), JsonValue.Create(t.Status.ToWireName()), JsonValue.Create(t.Error), JsonValue.Create(t.Output)))]),
};

static int Compare(string beforePath, string afterPath)
{
    static Dictionary<string, JsonNode> Read(string path) =>
        File.ReadLines(path).Select(l => JsonNode.Parse(l)!).ToDictionary(n => n["id"]!.GetValue<string>(), StringComparer.Ordinal);
    var before = Read(beforePath);
    var after = Read(afterPath);
    var differences = 0;
    foreach (var id in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
    {
        var a = before.GetValueOrDefault(id)?.ToJsonString();
        var b = after.GetValueOrDefault(id)?.ToJsonString();
        if (a == b) continue;
        if (differences++ < 40) Console.WriteLine($"{id}\n  before: {a ?? "(none)"}\n  after:  {b ?? "(none)"}");
    }
    var statuses = before.Values.GroupBy(n => n["verdict"]!["status"]!.GetValue<string>()).OrderBy(g => g.Key, StringComparer.Ordinal)
        .Select(g => $"{g.Key} {g.Count()}");
    Console.WriteLine($"{before.Count} lines before, {after.Count} after; {differences} differ. Statuses before: {string.Join(", ", statuses)}");
    return differences == 0 ? 0 : 1;
}

/// <summary>Remembers which key each stored verdict went under (the pipeline hands back the very same object).</summary>
internal sealed class RecordingStore : IVerdictStore
{
    private readonly ConcurrentDictionary<ProgramVerdict, string> _keys = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<string, ProgramVerdict> _references = new(StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, ProgramVerdict>> References => _references;

    public string? KeyOf(ProgramVerdict verdict) => _keys.GetValueOrDefault(verdict);

    public Task<IReadOnlyDictionary<string, ProgramVerdict>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, ProgramVerdict>>(new Dictionary<string, ProgramVerdict>());

    public void Put(string key, ProgramVerdict verdict)
    {
        _keys[verdict] = key;
        if (key.StartsWith("reference:", StringComparison.Ordinal)) _references[key] = verdict;
        // The stored form must survive the store's serialisation unchanged too.
        _ = VerdictJson.Serialize(verdict);
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
