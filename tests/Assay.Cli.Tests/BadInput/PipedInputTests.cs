namespace Assay.Cli.Tests.BadInput;

/// <summary>
/// Samples from a pipe: `--samples -`, `--samples /dev/stdin` and `&lt;(cat s.jsonl)` used to fail with "Stream does not
/// support seeking" (or look for a file named `-`). Run as a real process so standard input is a real pipe;
/// `--require-all` makes the run stop before judging with a message that proves which samples were read.
/// </summary>
public sealed class PipedInputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("--samples - < SAMPLES")]
    [InlineData("--samples /dev/stdin < SAMPLES")]
    [InlineData("--samples <(cat SAMPLES)")]
    [InlineData("--samples - < SAMPLES.gz")]
    public async Task Samples_are_read_from_a_pipe(string how)
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n"), Tiny.Completion(Tiny.AddId, "    return a\n")]);
        await Gzip(samples, samples + ".gz");
        var script = $"ASSAY eval --problems '{problems}' {how.Replace("SAMPLES", $"'{samples}'", StringComparison.Ordinal)} --no-store --require-all --k 1";
        var (exit, _, stderr) = await AssayProcess.ShellAsync(script);
        Assert.True(exit == ExitCodes.BadInput, $"exit {exit}: {stderr}");
        // Both samples were read (for Tiny/0 only): the coverage check names the other problem.
        Assert.Contains("--require-all: 1 of 2 problems have no samples (Tiny/1)", stderr);
        Assert.DoesNotContain("seeking", stderr);
    }

    private static async Task Gzip(string from, string to)
    {
        await using var input = File.OpenRead(from);
        await using var output = File.Create(to);
        await using var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest);
        await input.CopyToAsync(gzip);
    }
}
