using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Assay.Bench.EvalThroughput;
using Assay.Bench.Measurement;

namespace Assay.Bench.MatrixThroughput;

/// <summary>What the classic matrix baseline did: its cells per candidate and its cost.</summary>
internal sealed record MatrixBaselineRun(string Command, int Candidates, long Cells, int Killed, double WallSeconds, double HarnessSeconds,
    double? CpuSeconds, int ExitCode)
{
    /// <summary>Per (task, row): one letter per cell (p, f, e, t); shorter means the rest were not run.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyDictionary<(string TaskId, int Row), string> CellsByRow { get; init; } = new Dictionary<(string, int), string>();
}

/// <summary>
/// Runs bench/baselines/classic_matrix.py (CodeT's execution model: a forked process and a Manager per distinct
/// candidate running all of its problem's generated tests, one pool worker per core) inside bubblewrap: no
/// network, read-only /usr, the plan read-only, a writable output directory and nothing else of the host.
/// </summary>
internal static class ClassicMatrixBaseline
{
    private const string Interpreter = "/usr/bin/python3";

    public static async Task<MatrixBaselineRun> RunAsync(string bubblewrap, string script, string plan, string workDirectory, double timeoutSeconds,
        int maxTimeouts, int workers, TextWriter progress, CancellationToken cancellationToken)
    {
        var outDirectory = Directory.CreateDirectory(Path.Combine(workDirectory, "baseline-out")).FullName;
        var stderrPath = Path.Combine(workDirectory, "baseline.stderr");
        var arguments = new List<string>
        {
            "--unshare-all", "--die-with-parent",
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/bin", "/bin",
            "--proc", "/proc",
            "--dev", "/dev",
            "--tmpfs", "/tmp",
            "--ro-bind", Path.GetDirectoryName(plan)!, "/data",
            "--ro-bind", Path.GetDirectoryName(script)!, "/baselines",
            "--bind", outDirectory, "/out",
            "--chdir", "/tmp",
            Interpreter, "-I", "/baselines/" + Path.GetFileName(script), "/data/" + Path.GetFileName(plan), "/out/cells.jsonl",
            "--timeout", timeoutSeconds.ToString("0.0##", CultureInfo.InvariantCulture),
            "--max-timeouts", maxTimeouts.ToString(CultureInfo.InvariantCulture),
            "--workers", workers.ToString(CultureInfo.InvariantCulture),
        };
        var command = bubblewrap + " " + string.Join(' ', arguments);
        using var cgroup = CpuCgroup.TryCreate();
        var psi = new ProcessStartInfo(cgroup is null ? bubblewrap : "/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        // Joins a cgroup of its own first (when one can be made), only to count the CPU time of everything under it.
        if (cgroup is not null)
            foreach (var argument in new[] { "-c", "echo $$ > \"$0\" && exec \"$@\"", cgroup.ProcsFile, bubblewrap }) psi.ArgumentList.Add(argument);
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/bin:/bin";
        psi.Environment["HOME"] = "/tmp";
        psi.Environment["LANG"] = "C.UTF-8";

        await progress.WriteLineAsync($"baseline: {command}");
        var clock = Stopwatch.StartNew();
        using var process = await BaselineProcess.StartOnOwnThreadAsync(psi, "classic matrix baseline");
        await using var registration = cancellationToken.Register(() =>
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        });
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        await using (var stderrFile = File.Create(stderrPath))
        {
            var copy = process.StandardError.BaseStream.CopyToAsync(stderrFile, CancellationToken.None);
            var exited = process.WaitForExitAsync(CancellationToken.None);
            while (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromMinutes(1), CancellationToken.None)) != exited)
                await progress.WriteLineAsync($"baseline: running for {clock.Elapsed.TotalMinutes:F0} min");
            await exited;
            await copy;
        }
        var wall = clock.Elapsed.TotalSeconds;
        var cpu = cgroup?.UsageSeconds();
        cancellationToken.ThrowIfCancellationRequested();
        var resultsPath = Path.Combine(outDirectory, "cells.jsonl");
        if (process.ExitCode != 0 || !File.Exists(resultsPath))
            throw new BenchmarkException($"the baseline failed (exit code {process.ExitCode}); its stderr is in {stderrPath}");
        var summaryLine = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault()
            ?? throw new BenchmarkException("the baseline printed no summary");
        using var summary = JsonDocument.Parse(summaryLine);
        var cells = new Dictionary<(string, int), string>();
        foreach (var line in File.ReadLines(resultsPath))
        {
            if (line.Length == 0) continue;
            using var record = JsonDocument.Parse(line);
            var r = record.RootElement;
            cells[(r.GetProperty("task_id").GetString()!, r.GetProperty("row").GetInt32())] = r.GetProperty("cells").GetString()!;
        }
        var root = summary.RootElement;
        return new MatrixBaselineRun(command, root.GetProperty("candidates").GetInt32(), root.GetProperty("cells").GetInt64(),
            root.GetProperty("killed").GetInt32(), Math.Round(wall, 3), root.GetProperty("seconds").GetDouble(), cpu is { } c ? Math.Round(c, 1) : null,
            process.ExitCode)
        {
            CellsByRow = cells,
        };
    }

}
