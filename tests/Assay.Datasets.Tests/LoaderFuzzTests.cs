using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Tests;

/// <summary>
/// Seeded fuzzing of the loaders: records of every format (built in, plus real ones from ../shared/data when
/// present) with fields removed or given the wrong type, huge, empty, deeply nested or lone-surrogate values, and
/// lines cut short, bit-flipped or given invalid UTF-8. A loader may refuse a record (a bad record naming the
/// line) but never throws anything else, and never drops a line silently: with `skip`, every line is a problem
/// or a bad record, and the valid records beside the broken one still load.
/// </summary>
public sealed class LoaderFuzzTests : IDisposable
{
    private const string Surrogate = "@@LONE-SURROGATE@@";
    private static readonly ProblemFormat[] Formats = Enum.GetValues<ProblemFormat>();
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static IEnumerable<string> BuiltInSeeds() =>
    [
        JsonSerializer.Serialize(Tiny.AddProblem),
        JsonSerializer.Serialize(new { task_id = 11, code = "def f(x):\n    return x", test_list = new[] { "assert f(1) == 1" }, test_setup_code = "" }),
        JsonSerializer.Serialize(new { task_id = "Mbpp/2", prompt = "p", entry_point = "f", canonical_solution = "def f(x):\n    return x\n", base_input = new[] { new[] { 1 } }, plus_input = new[] { new[] { 2 } }, atol = 0 }),
        JsonSerializer.Serialize(new { problem_id = 7, question = "q", starter_code = "", input_output = JsonSerializer.Serialize(new { inputs = new[] { "1 2\n" }, outputs = new[] { "3\n" } }), solutions = "[\"print(3)\"]" }),
        JsonSerializer.Serialize(new { problem_id = 8, starter_code = "class Solution:\n    def order(self, a):\n", input_output = new { fn_name = "order", inputs = new object[] { new object[] { new[] { 2, 1 } } }, outputs = new object[] { new[] { 1, 2 } } } }),
        JsonSerializer.Serialize(new { task_id = "CPP/0", prompt = "int f(){\n", declaration = "int f(){\n", canonical_solution = "return 1;}", test = "int main(){}", example_test = "" }),
        JsonSerializer.Serialize(new { name = "HumanEval_0_a", language = "rb", prompt = "def a\n", tests = "require 'test/unit'\n", stop_tokens = new[] { "\ndef" } }),
        JsonSerializer.Serialize(new { task_id = "MBJP/1", language = "java", prompt = "class A {\n", entry_point = "f", test = "class Main {}", description = "d", canonical_solution = "BODY" }),
        JsonSerializer.Serialize(new { question_id = "abc123", question_content = "q", starter_code = "", public_test_cases = "[{\"input\": \"1\\n\", \"output\": \"1\\n\", \"testtype\": \"stdin\"}]", private_test_cases = "", metadata = "{}" }),
    ];

    /// <summary>The first small records of real files, when the shared data is here.</summary>
    private static IEnumerable<string> RealSeeds()
    {
        string[] files =
        [
            "humaneval/HumanEval.jsonl.gz", "humanevalplus/HumanEvalPlus-Mini.jsonl.gz", "mbppplus/evalplus_dev_MbppPlus.jsonl",
            "competitive/mapcoder_apps_selected150.jsonl", "humaneval-x/humaneval_cpp.jsonl.gz", "multipl-e-deepseek/humaneval-rkt.jsonl",
            "mxeval/mbxp/mbjp_release_v1.2.jsonl", "leetcode/deepseek_leetcode_20240121-Jul.jsonl",
        ];
        foreach (var relative in files)
        {
            if (Requirements.DataProblem(relative) is not null) continue;
            using var reader = new StreamReader(JsonlFile.Open(Requirements.Data(relative)));
            var taken = 0;
            while (taken < 2 && reader.ReadLine() is { } line)
            {
                if (line.Length is > 0 and < 20_000) { yield return line; taken++; }
            }
        }
    }

    [Fact]
    public void Problem_loaders_refuse_broken_records_by_line_and_never_throw_anything_else()
    {
        var random = new Random(20_261_203);
        var seeds = BuiltInSeeds().Concat(RealSeeds()).ToList();
        var neighbour = JsonSerializer.Serialize(Tiny.MulProblem);
        var cases = 0;
        foreach (var seed in seeds)
        {
            for (var i = 0; i < 120; i++)
            {
                var broken = Mutate(seed, random);
                var path = _dir.PathOf($"p{cases++ % 50}.jsonl");
                File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(neighbour + "\n"), .. broken, (byte)'\n']);
                var context = $"case {cases}: {Encoding.UTF8.GetString(broken)[..Math.Min(300, broken.Length)]}";

                var bad = new List<BadRecord>();
                var problems = Guarded(() => ProblemFile.Load(path, ProblemFormat.Auto, BadRecordPolicy.Skip, bad, Languages.Catalog), context);
                var skipped = bad.Count(b => b.LineSkipped);
                Assert.True(problems.Count + skipped == NonBlankLines(path), $"{context}: {problems.Count} problems + {skipped} skipped lines for {NonBlankLines(path)} lines");
                Assert.Contains(problems, p => p.TaskId == Tiny.MulId);
                Assert.All(bad, b => Assert.Equal(path, b.File));

                foreach (var format in Formats)
                {
                    try
                    {
                        ProblemFile.Load(path, format, BadRecordPolicy.Stop, new List<BadRecord>(), Languages.Catalog);
                    }
                    catch (BadRecordException ex)
                    {
                        Assert.StartsWith(path + ":", ex.Message);
                    }
                    catch (Exception ex)
                    {
                        Assert.Fail($"{format}, {context}: {ex}");
                    }
                }
            }
        }
        Assert.True(cases >= seeds.Count * 120);
    }

    [Fact]
    public void Sample_loaders_refuse_broken_records_by_line_and_never_throw_anything_else()
    {
        var random = new Random(7);
        var problems = ProblemFile.Load(Tiny.WriteProblems(_dir), ProblemFormat.Auto, BadRecordPolicy.Stop, new List<BadRecord>(), Languages.Catalog);
        string[] seeds =
        [
            JsonSerializer.Serialize(Tiny.Completion(Tiny.AddId, "    return a + b\n")),
            JsonSerializer.Serialize(new { task_id = Tiny.MulId, solution = "def mul(a, b):\n    return a * b\n" }),
            JsonSerializer.Serialize(new { prompt = Tiny.AddPrompt, samples = new[] { "    return a + b\n", "    return a - b\n" } }),
            JsonSerializer.Serialize(new { task_id = Tiny.AddId, generation = "    return a + b\n", language = "python" }),
        ];
        var cases = 0;
        foreach (var seed in seeds)
        {
            foreach (var format in Enum.GetValues<SampleFormat>())
            {
                for (var i = 0; i < 60; i++)
                {
                    var broken = Mutate(seed, random);
                    var path = _dir.PathOf($"s{cases++ % 50}.jsonl");
                    File.WriteAllBytes(path, [.. broken, (byte)'\n']);
                    var context = $"{format}, case {cases}: {Encoding.UTF8.GetString(broken)[..Math.Min(300, broken.Length)]}";
                    var bad = new List<BadRecord>();
                    var samples = Guarded(() => SampleFile.Load(path, problems, format, BadRecordPolicy.Skip, bad, Languages.Catalog), context);
                    var blank = string.IsNullOrWhiteSpace(Encoding.UTF8.GetString(broken));   // blank lines are not records
                    Assert.True(blank || samples.Count > 0 || bad.Count > 0, $"{context}: the line was neither a sample nor a bad record");
                    try
                    {
                        SampleFile.Load(path, problems, format, BadRecordPolicy.Stop, new List<BadRecord>(), Languages.Catalog);
                    }
                    catch (BadRecordException ex)
                    {
                        Assert.StartsWith(path + ":", ex.Message);
                    }
                }
            }
        }
    }

    private static IReadOnlyList<T> Guarded<T>(Func<IReadOnlyList<T>> load, string context)
    {
        try
        {
            return load();
        }
        catch (Exception ex)
        {
            Assert.Fail($"{context}: {ex}");
            throw;
        }
    }

    private static int NonBlankLines(string path) => File.ReadLines(path).Count(l => !string.IsNullOrWhiteSpace(l));

    /// <summary>One structural or byte-level change to a record's line.</summary>
    private static byte[] Mutate(string line, Random random)
    {
        if (random.Next(4) == 0) return MutateBytes(Encoding.UTF8.GetBytes(line), random);
        var node = JsonNode.Parse(line)!;
        for (var changes = 1 + random.Next(2); changes > 0; changes--) MutateNode(node, random);
        var text = node.ToJsonString().Replace(Surrogate, "\\ud800", StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(text);
    }

    private static byte[] MutateBytes(byte[] bytes, Random random)
    {
        var copy = bytes.ToList();
        switch (random.Next(4))
        {
            case 0: return [.. copy.Take(random.Next(copy.Count))];                       // cut short
            case 1:
                var at = random.Next(copy.Count);
                copy[at] ^= (byte)(1 << random.Next(8));                                  // one bit flipped
                return [.. copy.Where(b => b != (byte)'\n')];
            case 2: copy.Insert(random.Next(copy.Count), 0xff); return [.. copy];         // invalid UTF-8
            default: copy.InsertRange(random.Next(copy.Count), [0xc3]); return [.. copy]; // a lone lead byte
        }
    }

    private static void MutateNode(JsonNode root, Random random)
    {
        // Walk down to a random object or array, then remove or replace one of its members.
        var container = root;
        while (random.Next(3) > 0)
        {
            var children = Children(container).Where(c => c is JsonObject or JsonArray).ToList();
            if (children.Count == 0) break;
            container = children[random.Next(children.Count)]!;
        }
        switch (container)
        {
            case JsonObject obj when obj.Count > 0:
                var key = obj.ElementAt(random.Next(obj.Count)).Key;
                if (random.Next(5) == 0) obj.Remove(key);
                else obj[key] = Replacement(random);
                break;
            case JsonArray array when array.Count > 0:
                var index = random.Next(array.Count);
                if (random.Next(5) == 0) array.RemoveAt(index);
                else array[index] = Replacement(random);
                break;
        }
    }

    private static IEnumerable<JsonNode?> Children(JsonNode node) => node switch
    {
        JsonObject obj => obj.Select(p => p.Value),
        JsonArray array => array,
        _ => [],
    };

    private static JsonNode? Replacement(Random random) => random.Next(14) switch
    {
        0 => null,
        1 => JsonValue.Create(true),
        2 => JsonValue.Create(0),
        3 => JsonValue.Create(-1),
        4 => JsonValue.Create(1e308),
        5 => JsonValue.Create(3.5),
        6 => JsonValue.Create(""),
        7 => JsonValue.Create(new string('x', 200_000)),
        8 => JsonValue.Create(Surrogate + " broken model output"),
        9 => new JsonArray(),
        10 => new JsonObject(),
        11 => Nested(200),
        12 => JsonValue.Create("12"),
        _ => JsonValue.Create("[1, {\"inputs\": 3}]"),
    };

    private static JsonNode Nested(int depth)
    {
        JsonNode node = new JsonArray();
        for (var i = 0; i < depth; i++) node = new JsonArray(node);
        return node;
    }
}
