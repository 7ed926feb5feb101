using System.Diagnostics;
using System.Text.Json;

namespace Assay.Cli.Tests.Faults;

/// <summary>
/// `assay eval` killed with SIGKILL at random points, ten times in a row on one store, then run to the end: the
/// result equals a clean run's sample by sample, the store survives every kill, and no kill leaves a results file
/// half-written (it is written beside and renamed). Real processes, real sandbox, real SQLite.
/// </summary>
public sealed class KillNineResumeTests : IDisposable
{
    private const int Samples = 600;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Distinct programs (each judged on its own merits): right, wrong, raising, and slow enough to be killed mid-run.</summary>
    private string WriteSamples()
    {
        var records = Enumerable.Range(0, Samples).Select(i =>
        {
            var task = i % 2 == 0 ? Tiny.AddId : Tiny.MulId;
            var right = task == Tiny.AddId ? "a + b" : "a * b";
            var body = (i % 3) switch
            {
                0 => $"    return {right}\n",
                1 => "    return a - b\n",
                _ => "    raise ValueError('no')\n",
            };
            return Tiny.Completion(task, $"    import time\n    time.sleep(0.02 + {i} * 1e-9)  # distinct code, not just a comment (comments do not make a distinct program)\n" + body);
        });
        return _dir.WriteJsonl("samples.jsonl", records);
    }

    private static AssayProcess StartEval(string problems, string samples, string store, string results) =>
        AssayProcess.Start(["eval", "--problems", problems, "--samples", samples, "--store", store, "-o", results, "--json", "-j", "2"]);

    /// <summary>task_id, completion → status, per sample, in file order.</summary>
    private static List<string> Verdicts(string results) =>
        File.ReadAllLines(results).Where(l => l.Length > 0).Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            var r = doc.RootElement;
            return $"{r.GetProperty("task_id").GetString()} {r.GetProperty("completion").GetString()!.GetHashCode(StringComparison.Ordinal)} {r.GetProperty("status").GetString()} {r.GetProperty("passed").GetBoolean()}";
        }).ToList();

    [SandboxFact]
    public async Task Ten_kills_at_random_points_then_a_rerun_equal_a_clean_run()
    {
        var problems = Tiny.WriteProblems(_dir);
        var samples = WriteSamples();

        var clock = Stopwatch.StartNew();
        CliResult clean;
        using (var cleanRun = StartEval(problems, samples, _dir.PathOf("clean.db"), _dir.PathOf("clean.jsonl"))) clean = await cleanRun.WaitAsync();
        var cleanSeconds = clock.Elapsed.TotalSeconds;
        Assert.True(clean.ExitCode == 0, "clean run: " + clean);
        var expected = Verdicts(_dir.PathOf("clean.jsonl"));
        Assert.Equal(Samples, expected.Count);

        var store = _dir.PathOf("killed.db");
        var random = new Random(20261203);
        var killedMidRun = 0;
        var killedAt = new List<string>();
        // Anywhere from start-up (loading, opening the store) into judging and flushing; resumed runs have less left to
        // do, so the window is a share of the clean run's time rather than all of it, and it halves after a run that
        // ended before its kill (a clean run slowed by a busy machine would otherwise size it for runs that are not).
        var window = Math.Max(cleanSeconds * 0.5, 1);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var results = _dir.PathOf($"killed-{attempt}.jsonl");
            using var run = StartEval(problems, samples, store, results);
            var delay = 0.2 + random.NextDouble() * window;
            await Task.Delay(TimeSpan.FromSeconds(delay));
            var running = !run.HasExited;
            if (running) killedMidRun++;
            else window = Math.Max(window / 2, 0.5);
            killedAt.Add($"{delay:F1} s{(running ? "" : " (had ended)")}");
            await run.KillAsync(); // SIGKILL: no handler runs
            // Either no results file or a whole one — never a half-written one.
            if (File.Exists(results)) Assert.Equal(Samples, Verdicts(results).Count);
        }
        Assert.True(killedMidRun >= 3, $"only {killedMidRun} of 10 runs were still running when killed (clean run {cleanSeconds:F1} s; " +
            $"kills at {string.Join(", ", killedAt)}): the test does not test kills");

        using var rerunProcess = StartEval(problems, samples, store, _dir.PathOf("rerun.jsonl"));
        var rerun = await rerunProcess.WaitAsync();

        Assert.True(rerun.ExitCode == 0, "rerun: " + rerun);
        Assert.True(rerun.Json().GetProperty("samples_from_store").GetInt32() > 0,
            $"the rerun resumed nothing from the store (kills at {string.Join(", ", killedAt)}): " + rerun.Stdout);
        Assert.Equal(expected, Verdicts(_dir.PathOf("rerun.jsonl")));
    }
}
