using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Assay.Core.Problems;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Tests;

/// <summary>The APPS and LiveCodeBench loaders, on records written here and on the shipped example.</summary>
public sealed class StdioLoaderTests : IDisposable
{
    private const string MapCoderApps = "competitive/mapcoder_apps_selected150.jsonl";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static IReadOnlyList<Problem> Load(string path, List<BadRecord>? bad = null, BadRecordPolicy policy = BadRecordPolicy.Stop) =>
        ProblemFile.Load(path, ProblemFormat.Auto, policy, bad ?? [], Languages.Catalog);

    [Fact]
    public void Original_APPS_records_become_stdin_or_call_based_problems()
    {
        var path = _dir.WriteJsonl("apps.jsonl",
        [
            new
            {
                problem_id = 7,
                question = "Add two numbers.",
                starter_code = "",
                input_output = JsonSerializer.Serialize(new { inputs = new[] { "1 2\n", "3 4\n" }, outputs = new[] { "3\n", "7\n" } }),
                solutions = JsonSerializer.Serialize(new[] { "print(sum(map(int, input().split())))\n" }),
            },
            new
            {
                problem_id = 8,
                question = "Return the pair sorted.",
                starter_code = "class Solution:\n    def order(self, a, b):\n",
                input_output = new { fn_name = "order", inputs = new object[] { new object[] { 2, 1 } }, outputs = new object[] { new object[] { new[] { 1, 2 } } } },
            },
        ]);

        var problems = Load(path);

        var stdio = Assert.IsType<StdioJudge>(problems[0].Judge);
        Assert.Equal("APPS/7", problems[0].TaskId);
        Assert.Equal(["1 2\n", "3 4\n"], stdio.Tests.Select(t => t.Input));
        Assert.Equal(OutputMatch.Numeric, stdio.Match);
        Assert.Equal("print(sum(map(int, input().split())))\n", problems[0].CanonicalSolution);
        var call = Assert.IsType<IoFunctionJudge>(problems[1].Judge);
        Assert.Equal("Solution", problems[1].EntryPoint);
        Assert.Equal("order", call.Method);
        Assert.Equal(IoOracle.Apps, call.Oracle);
        Assert.Equal(["[2,1]"], call.Inputs);
        Assert.Equal(["[[1,2]]"], call.Expected!);
    }

    [Fact]
    public void APPS_records_without_tests_are_reported_with_file_and_line()
    {
        var path = _dir.WriteJsonl("bad.jsonl", [new { problem_id = 1, starter_code = "", input_output = "" }]);
        var bad = new List<BadRecord>();
        Assert.Empty(Load(path, bad, BadRecordPolicy.Skip));
        Assert.Equal(1, Assert.Single(bad).Line);
        Assert.Contains("APPS/1", bad[0].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_APPS_call_based_tests_are_reported_with_file_line_and_the_field()
    {
        var path = _dir.WriteJsonl("calls.jsonl",
        [
            new { problem_id = 1, starter_code = "", input_output = new { fn_name = "f", inputs = new object[] { new[] { 1 } }, outputs = new object[] { 1 } } },
            new { problem_id = 2, starter_code = "", input_output = new { fn_name = "f", inputs = new object[] { new[] { 1 }, 2 }, outputs = new object[] { 1, 2 } } },
        ]);
        var bad = new List<BadRecord>();
        var problems = Load(path, bad, BadRecordPolicy.Skip);
        Assert.Equal("APPS/1", Assert.Single(problems).TaskId);
        Assert.Equal(2, Assert.Single(bad).Line);
        Assert.Contains("APPS/2: input_output: inputs[1] must be a list of arguments", bad[0].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void LiveCodeBench_example_decodes_compressed_private_tests_and_marks_public_ones()
    {
        var problems = Load(Requirements.Repo("examples/livecodebench/problems.jsonl"));

        Assert.Equal(["assay_sum", "assay_reverse", "assay_largest", "assay_ordered"], problems.Select(p => p.TaskId));
        var sum = Assert.IsType<StdioJudge>(problems[0].Judge);
        Assert.Equal(7, sum.Tests.Count); // 2 public, 5 private from base64(zlib(pickle(json)))
        Assert.Equal([true, true, false, false, false, false, false], sum.Tests.Select(t => t.IsPublic));
        Assert.Equal("1111111110\n", sum.Tests[3].ExpectedOutput);
        Assert.Equal(0, sum.Tolerance);
        var largest = Assert.IsType<IoFunctionJudge>(problems[2].Judge);
        Assert.Equal(("Solution", "largest"), (problems[2].EntryPoint, largest.Method));
        Assert.Equal(["[[1, 5, 3]]", "[[-1, -2]]", "[[7]]", "[[2, 9, 9, 1]]"], largest.Inputs);
        Assert.Equal(1, largest.BaseCount);
        Assert.Equal(["[3, 1]", "[2, 2]", "[-1, 4]"], ((IoFunctionJudge)problems[3].Judge).Inputs);
    }

    [Fact]
    public void The_pickle_reader_takes_one_string_and_refuses_anything_else()
    {
        // pickle.dumps("hé", protocol=4) and protocol=2, written out by hand.
        Assert.Equal("hé", PickledString.Unpickle([0x80, 4, 0x95, 7, 0, 0, 0, 0, 0, 0, 0, 0x8c, 3, (byte)'h', 0xc3, 0xa9, 0x94, (byte)'.']));
        Assert.Equal("ab", PickledString.Unpickle([0x80, 2, (byte)'X', 2, 0, 0, 0, (byte)'a', (byte)'b', (byte)'.']));
        // pickle.dumps(["a"]): a list, with EMPTY_LIST / APPEND opcodes.
        var list = new byte[] { 0x80, 4, 0x95, 9, 0, 0, 0, 0, 0, 0, 0, (byte)']', 0x94, 0x8c, 1, (byte)'a', 0x94, (byte)'a', (byte)'.' };
        Assert.Contains("refused", Assert.Throws<FormatException>(() => PickledString.Unpickle(list)).Message, StringComparison.Ordinal);
        // Global lookups (how a pickle runs code) are refused too: `c` = GLOBAL.
        var global = "\u0080\u0002cos\nsystem\n."u8.ToArray();
        Assert.Throws<FormatException>(() => PickledString.Unpickle(global));

        var compressed = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
            zlib.Write([0x80, 4, 0x8c, 2, (byte)'[', (byte)']', (byte)'.']);
        Assert.Equal("[]", PickledString.DecodeCompressed(Convert.ToBase64String(compressed.ToArray())));
        Assert.Throws<FormatException>(() => PickledString.DecodeCompressed("not base64!"));
        Assert.Throws<FormatException>(() => PickledString.DecodeCompressed(Convert.ToBase64String(Encoding.UTF8.GetBytes("plain"))));
    }

    [DataFact(MapCoderApps)]
    public void MapCoder_APPS_selection_loads_as_stdin_stdout_problems()
    {
        var bad = new List<BadRecord>();
        // The default policy, stop: the file loads.
        var problems = Load(Requirements.Data(MapCoderApps), bad, BadRecordPolicy.Stop);

        // 150 lines, 22 of which repeat an earlier record exactly: one problem each, reported.
        Assert.Equal(22, bad.Count);
        Assert.All(bad, b => Assert.Contains("identical duplicate of line", b.Problem, StringComparison.Ordinal));
        Assert.Equal(128, problems.Count);
        Assert.All(problems, p => Assert.IsType<StdioJudge>(p.Judge));
        var superSize = (StdioJudge)problems.Single(p => p.TaskId == "APPS/4465").Judge;
        Assert.Equal(("69", "96"), (superSize.Tests[0].Input, superSize.Tests[0].ExpectedOutput));
        var anagrams = (StdioJudge)problems.Single(p => p.TaskId == "APPS/4335").Judge;
        Assert.Equal("['aabb', 'bbaa']", anagrams.Tests[0].ExpectedOutput); // Python's str() of the expected list
    }
}
