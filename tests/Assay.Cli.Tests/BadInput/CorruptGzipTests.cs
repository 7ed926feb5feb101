using System.IO.Compression;

namespace Assay.Cli.Tests.BadInput;

/// <summary>
/// A truncated or corrupt `.jsonl.gz` is refused with exit 2 naming the file, before anything is judged:
/// .NET's GZipStream reads a file cut mid-stream as if it ended there (half the samples scored, exit 0).
/// </summary>
public sealed class CorruptGzipTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_samples_file_cut_mid_stream_is_exit_2_and_nothing_is_written()
    {
        var problems = Tiny.WriteProblems(_dir);
        var whole = Gzip(Enumerable.Range(0, 400).Select(i => Tiny.Completion(i % 2 == 0 ? Tiny.AddId : Tiny.MulId, $"    return {i} # {new string('x', i % 50)}\n")));
        var samples = _dir.PathOf("samples.jsonl.gz");
        File.WriteAllBytes(samples, whole[..(whole.Length / 2)]);
        var results = _dir.PathOf("r.jsonl");

        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--json", "--no-store", "--out", results);

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains(samples, run.Stderr);
        Assert.Contains("truncated or corrupt", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.Equal("", run.Stdout);
        Assert.False(File.Exists(results));
    }

    [Fact]
    public async Task A_problems_file_with_a_damaged_checksum_is_exit_2_for_rank()
    {
        var problems = _dir.PathOf("problems.jsonl.gz");
        var bytes = Gzip([Tiny.AddProblem, Tiny.MulProblem]);
        bytes[^6] ^= 0xff; // inside the CRC-32 trailer: every byte of data inflates, the check must still fail
        File.WriteAllBytes(problems, bytes);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n")]);
        var tests = _dir.WriteJsonl("tests.jsonl", [new { prompt = Tiny.AddPrompt, samples = new[] { "add(1, 2) == 3" } }]);

        var run = await AssayCli.RunAsync("rank", "--problems", problems, "--samples", samples, "--tests", tests, "--no-store", "-o", _dir.PathOf("r.jsonl"));

        Assert.True(run.ExitCode == ExitCodes.BadInput, run.ToString());
        Assert.Contains(problems, run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }

    private static byte[] Gzip(IEnumerable<object> records)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal))
        using (var writer = new StreamWriter(gzip))
        {
            foreach (var record in records) writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(record));
        }
        return buffer.ToArray();
    }
}
