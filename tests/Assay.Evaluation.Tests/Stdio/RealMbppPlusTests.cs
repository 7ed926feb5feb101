using System.Text.Json;
using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests.Stdio;

/// <summary>
/// MBPP+ (pre-release) tasks that need EvalPlus's special handling: inputs rebuilt as tuples, sets, complex
/// numbers; set-equality, not-None and other special oracles; Python's `Infinity` in the JSON; an empty
/// `plus_input` written as `{}`. Their own canonical solutions must pass.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class RealMbppPlusTests : IDisposable
{
    private const string MbppPlus = "mbppplus/evalplus_dev_MbppPlus.jsonl";

    private static readonly HashSet<string> Special =
    [
        "Mbpp/2", "Mbpp/106", "Mbpp/115", "Mbpp/124", "Mbpp/164", "Mbpp/249", "Mbpp/252", "Mbpp/278", "Mbpp/295", "Mbpp/404",
        "Mbpp/580", "Mbpp/722", "Mbpp/737", "Mbpp/769", "Mbpp/793",
    ];

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [RealDataFact(MbppPlus)]
    public async Task Canonical_solutions_of_the_specially_handled_tasks_pass()
    {
        var lines = File.ReadAllLines(Requirements.Data(MbppPlus))
            .Where(l => l.Length > 0 && Special.Contains(l[(l.IndexOf("\"task_id\": \"", StringComparison.Ordinal) + 12)..].Split('"')[0]))
            .ToList();
        Assert.Equal(Special.Count, lines.Count);
        var problems = _dir.WriteLines("special.jsonl", lines);
        var samples = _dir.WriteLines("canonical.jsonl", lines.Select(l =>
        {
            // The line itself may hold Python's Infinity: take the two fields by hand rather than parse it.
            var id = l[(l.IndexOf("\"task_id\": \"", StringComparison.Ordinal) + 12)..].Split('"')[0];
            var at = l.IndexOf("\"canonical_solution\": ", StringComparison.Ordinal) + 22;
            using var doc = JsonDocument.Parse(l[at..].Split("\", \"", 2)[0] + "\"");
            return JsonSerializer.Serialize(new { task_id = id, solution = doc.RootElement.GetString() });
        }));

        var run = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1");

        var failures = run.Results.Where(r => !r.GetProperty("passed").GetBoolean())
            .Select(r => $"{r.GetProperty("task_id").GetString()}: {r.GetProperty("result").GetString()}").ToList();
        Assert.True(failures.Count == 0, string.Join("; ", failures));
        Assert.Equal(Special.Count, run.Int("passed"));
    }
    /// <summary>
    /// A correct program far slower than the reference on MBPP+'s large inputs (gpt-3.5's cubic count_Substrings for
    /// Mbpp/61, here made slower still) passes EvalPlus, whose smallest limit is 4 s: calibrated limits of EvalPlus
    /// data keep that floor, and only the user's own floor goes under it.
    /// </summary>
    [RealDataFact(MbppPlus)]
    public async Task A_correct_but_slower_sample_passes_as_under_EvalPlus_and_a_users_floor_still_decides()
    {
        var line = File.ReadAllLines(Requirements.Data(MbppPlus)).Single(l => l.Contains("\"task_id\": \"Mbpp/61\"", StringComparison.Ordinal));
        var problems = _dir.WriteLines("mbpp61.jsonl", [line]);
        const string Cubic = "def count_Substrings(s):\n    count = 0\n    for _ in range(3):\n        count = 0\n" +
            "        for i in range(len(s)):\n            for j in range(i + 1, len(s) + 1):\n" +
            "                if sum(int(d) for d in s[i:j]) == j - i:\n                    count += 1\n    return count\n";
        var samples = _dir.WriteLines("cubic.jsonl", [JsonSerializer.Serialize(new { task_id = "Mbpp/61", solution = Cubic })]);

        var harnessFloor = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1");
        var usersFloor = await AssayCli.EvalAsync(_dir, problems, samples, null, "--k", "1", "--time-limit-floor", "0.05");

        Assert.Equal("passed", harnessFloor.Results.Single().GetProperty("result").GetString());
        Assert.Equal("time_limit", usersFloor.Results.Single().GetProperty("status").GetString());
    }
}
