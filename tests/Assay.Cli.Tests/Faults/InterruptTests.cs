using System.Diagnostics;

namespace Assay.Cli.Tests.Faults;

/// <summary>
/// Ctrl-C (or SIGTERM) during `assay eval` says what happened and how to go on, exits 130 (143), and keeps what was
/// judged: the rerun resumes from the store. The process used to die by the signal at once, silently, losing the
/// verdicts not yet flushed.
/// </summary>
public sealed class InterruptTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static async Task<long> StoredAsync(string store)
    {
        if (!File.Exists(store)) return 0;
        try
        {
            await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
            await connection.OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM verdicts";
            return (long)(await count.ExecuteScalarAsync())!;
        }
        catch (Microsoft.Data.Sqlite.SqliteException)
        {
            return 0; // not created yet
        }
    }

    [SandboxTheory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public async Task A_signal_mid_run_is_its_exit_code_with_the_way_to_resume_and_the_rerun_resumes(string signal, int exitCode)
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = _dir.WriteJsonl("samples.jsonl", Enumerable.Range(0, 1500).Select(i =>
            Tiny.Completion(Tiny.AddId, $"    import time\n    time.sleep(0.02 + {i} * 1e-9)\n    return a + b\n")));
        var store = _dir.PathOf("store.db");
        string[] args = ["eval", "--problems", problems, "--samples", samples, "--store", store, "-o", _dir.PathOf("r.jsonl"), "--json", "-j", "2"];
        using var run = AssayProcess.Start(args, defaultSignals: true);
        // Signal once the first batches are stored (the reference solution's calibration is one verdict), mid-run.
        var waited = Stopwatch.StartNew();
        while (await StoredAsync(store) < 50 && !run.HasExited && waited.Elapsed < TimeSpan.FromSeconds(90)) await Task.Delay(200);
        Assert.False(run.HasExited, "the run ended before it could be interrupted"); // (not `+ await stderr`: that waits for the end)
        await run.SignalAsync(signal);
        var signalled = Stopwatch.StartNew();
        var ended = await run.WaitAsync();
        var after = signalled.Elapsed.TotalSeconds;

        Assert.True(ended.ExitCode == exitCode, $"exit {ended.ExitCode} {after:F1} s after kill -{signal}: {ended.Stderr}");
        Assert.Contains("interrupted", ended.Stderr);
        Assert.Contains("rerun the same command to resume", ended.Stderr);
        Assert.DoesNotContain("   at ", ended.Stderr);
        Assert.False(File.Exists(_dir.PathOf("r.jsonl")));

        var rerun = await AssayCli.RunAsync(args);
        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.Equal(1500, rerun.Json().GetProperty("passed").GetInt32());
        Assert.True(rerun.Json().GetProperty("samples_from_store").GetInt32() >= 49, "nothing judged before the interrupt was kept");
    }
}
