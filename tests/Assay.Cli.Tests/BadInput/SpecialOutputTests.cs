using System.Diagnostics;
using Assay.Cli.Output;

namespace Assay.Cli.Tests.BadInput;

/// <summary>
/// A results path that is not a plain file is written as a shell's `>` would write it, never replaced: the results
/// used to be written to `PATH.tmp` and renamed over PATH, which as root turned `-o /dev/null` into a regular file
/// (the machine's /dev/null) and replaced a symlink or a FIFO. And a stream's default results go to the current
/// directory: `--samples /dev/stdin` used to write `/dev/stdin_results.jsonl`.
/// </summary>
public sealed class SpecialOutputTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private (string Problems, string Samples) Inputs() =>
        (Tiny.WriteProblems(_dir), _dir.WriteJsonl("samples.jsonl", [Tiny.Completion(Tiny.AddId, "    return a + b\n"), Tiny.Completion(Tiny.AddId, "    return a\n")]));

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(file, args);
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: exit {process.ExitCode}");
    }

    [SandboxFact]
    public async Task A_symlink_is_written_through_to_its_target_and_stays_a_link()
    {
        var (problems, samples) = Inputs();
        var target = _dir.PathOf("target.jsonl");
        File.WriteAllText(target, "old\n");
        var link = _dir.PathOf("link.jsonl");
        File.CreateSymbolicLink(link, target);

        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--no-store", "-o", link, "--quiet");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal(2, File.ReadAllLines(target).Length);
        Assert.Contains("\"task_id\"", File.ReadAllText(target));
        // No temporary file is left behind, under any name.
        Assert.Equal(["link.jsonl", "problems.jsonl", "samples.jsonl", "target.jsonl"], Directory.GetFileSystemEntries(_dir.Path).Select(p => Path.GetFileName(p)!).Order().ToArray());
    }

    [SandboxFact]
    public async Task A_fifo_is_written_into_not_replaced()
    {
        var (problems, samples) = Inputs();
        var fifo = _dir.PathOf("results.fifo");
        Run("mkfifo", fifo);
        var reader = Task.Run(() => File.ReadAllText(fifo));

        var run = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--no-store", "-o", fifo, "--quiet");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal(2, (await reader.WaitAsync(TimeSpan.FromSeconds(30))).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.True(FileIdentity.IsSpecial(fifo), "the FIFO was replaced by a regular file");
    }

    /// <summary>Only root can make a device node, and only root could have replaced /dev/null.</summary>
    [SandboxRootFact]
    public async Task A_character_device_like_dev_null_stays_a_device()
    {
        var (problems, samples) = Inputs();
        // A private null device: were it replaced, only this test's copy would be.
        var device = _dir.PathOf("null");
        Run("mknod", "-m", "666", device, "c", "1", "3");

        var eval = await AssayCli.RunAsync("eval", "--problems", problems, "--samples", samples, "--no-store", "-o", device, "--quiet");

        Assert.True(eval.ExitCode == ExitCodes.Success, eval.ToString());
        Assert.True(FileIdentity.IsSpecial(device), "-o onto a device replaced the device with a regular file");
        Assert.Equal(0, new FileInfo(device).Length);
    }

    [SandboxFact]
    public async Task Samples_from_dev_stdin_put_their_default_results_in_the_current_directory()
    {
        var (problems, samples) = Inputs();
        var cwd = Directory.CreateDirectory(_dir.PathOf("cwd")).FullName;
        var inDev = "/dev/stdin_results.jsonl";
        var existedBefore = File.Exists(inDev);

        var run = await AssayProcess.ShellAsync($"cd '{cwd}' && cat '{samples}' | ASSAY eval --problems '{problems}' --samples /dev/stdin --no-store --quiet");

        try
        {
            Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
            Assert.True(File.Exists(Path.Combine(cwd, "stdin_results.jsonl")), run.ToString());
            Assert.False(!existedBefore && File.Exists(inDev), "the results were written into /dev");
        }
        finally
        {
            if (!existedBefore && File.Exists(inDev)) File.Delete(inDev);
        }
    }
}
