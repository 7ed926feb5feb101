using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Assay.Bench.Measurement;

namespace Assay.Bench.EvalThroughput;

/// <summary>
/// Runs bench/baselines/classic_eval.py (human-eval's and CodeT's execution model: a forked process and a
/// Manager per distinct program, one pool worker per core) inside bubblewrap: no network, read-only /usr and
/// inputs, a writable output directory and nothing else of the host; or unsandboxed, as CodeT's users run its
/// evaluator (Debian's python3 on the host, the harness's own "reliability guard" only). Its stderr goes to a file.
/// </summary>
internal static class ClassicBaseline
{
    public const string Interpreter = "/usr/bin/python3";

    /// <param name="bubblewrap">bwrap's path, or null to run the harness unsandboxed.</param>
    public static async Task<BaselineRun> RunAsync(string? bubblewrap, string script, string problems, string samples, string workDirectory,
        double timeoutSeconds, int workers, IReadOnlyList<int> ks, TextWriter progress, CancellationToken cancellationToken)
    {
        var name = bubblewrap is null ? "baseline-host" : "baseline";
        var outDirectory = Directory.CreateDirectory(Path.Combine(workDirectory, name + "-out")).FullName;
        var stderrPath = Path.Combine(workDirectory, name + ".stderr");
        var arguments = bubblewrap is null
            ? HostArguments(script, problems, samples, Path.Combine(outDirectory, "results.jsonl"), timeoutSeconds, workers)
            : Arguments(script, problems, samples, outDirectory, timeoutSeconds, workers);
        var program = bubblewrap ?? Interpreter;
        var command = program + " " + string.Join(' ', arguments.Select(Quote));

        // Joins a cgroup of its own first (when one can be made), only to count the CPU time of everything under it.
        using var cgroup = CpuCgroup.TryCreate();
        var psi = new ProcessStartInfo(cgroup is null ? program : "/bin/sh")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workDirectory,
        };
        if (cgroup is not null)
        {
            foreach (var argument in new[] { "-c", "echo $$ > \"$0\" && exec \"$@\"", cgroup.ProcsFile, program }) psi.ArgumentList.Add(argument);
        }
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        psi.Environment.Clear();
        psi.Environment["PATH"] = "/usr/bin:/bin";
        psi.Environment["HOME"] = "/tmp";
        psi.Environment["LANG"] = "C.UTF-8";

        await progress.WriteLineAsync($"baseline: {command}");
        await progress.WriteLineAsync($"baseline: stderr goes to {stderrPath}");
        if (cgroup is null) await progress.WriteLineAsync("baseline: no cgroup could be made: its CPU time will not be reported");
        var cpuBefore = CpuSnapshot.Take();
        var clock = Stopwatch.StartNew();
        using var process = await BaselineProcess.StartOnOwnThreadAsync(psi, "classic baseline");
        await using var registration = cancellationToken.Register(() => Kill(process));
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        long stderrBytes;
        await using (var stderrFile = File.Create(stderrPath))
        {
            var copy = process.StandardError.BaseStream.CopyToAsync(stderrFile, CancellationToken.None);
            var exited = process.WaitForExitAsync(CancellationToken.None);
            // Cancellation kills the process (above), which ends this loop.
            while (await Task.WhenAny(exited, Task.Delay(TimeSpan.FromMinutes(1), CancellationToken.None)) != exited)
                await progress.WriteLineAsync($"baseline: running for {clock.Elapsed.TotalMinutes:F0} min");
            await exited;
            await copy;
            stderrBytes = stderrFile.Length;
        }
        var wallSeconds = clock.Elapsed.TotalSeconds;
        var machine = CpuSnapshot.Take() - cpuBefore;
        var cgroupSeconds = cgroup?.UsageSeconds();
        cancellationToken.ThrowIfCancellationRequested();
        var output = await stdout;
        var resultsPath = Path.Combine(outDirectory, "results.jsonl");
        if (process.ExitCode != 0 || !File.Exists(resultsPath))
            throw new BenchmarkException($"the baseline failed (exit code {process.ExitCode}); its stderr is in {stderrPath}:\n{Tail(stderrPath)}");

        var summaryLine = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault()
            ?? throw new BenchmarkException("the baseline printed no summary");
        using var summary = JsonDocument.Parse(summaryLine);
        var root = summary.RootElement;

        var verdicts = new Dictionary<(string TaskId, int CompletionId), (bool Passed, string Result)>();
        foreach (var line in File.ReadLines(resultsPath))
        {
            if (line.Length == 0) continue;
            using var record = JsonDocument.Parse(line);
            var r = record.RootElement;
            var key = (r.GetProperty("task_id").GetString()!, r.GetProperty("completion_id").GetInt32());
            if (!verdicts.TryAdd(key, (r.GetProperty("passed").GetBoolean(), r.GetProperty("result").GetString() ?? "")))
                throw new BenchmarkException($"the baseline reported {key.Item1} #{key.Item2} twice");
        }
        var samplesCount = verdicts.Count;
        return new BaselineRun(
            command,
            await PythonVersionAsync(cancellationToken),
            samplesCount,
            root.GetProperty("distinct").GetInt32(),
            verdicts.Values.Count(v => v.Passed),
            root.GetProperty("timed_out").GetInt32(),
            Math.Round(wallSeconds, 3),
            root.GetProperty("seconds").GetDouble(),
            Math.Round(samplesCount / wallSeconds, 2),
            PassAtKFigures.From(verdicts.Select(v => (v.Key.TaskId, v.Value.Passed)), ks),
            cgroupSeconds is { } own ? RunCpu.From(own, machine.MachineBusyMs / 1000.0, wallSeconds, samplesCount) : null,
            process.ExitCode,
            stderrBytes)
        {
            Verdicts = verdicts,
        };
    }

    /// <summary>
    /// bwrap's arguments: every namespace unshared, read-only /usr (and the usual /lib, /bin links), fresh
    /// /proc, /dev and /tmp, the inputs read-only under /data, the script under /baselines, /out writable.
    /// </summary>
    private static List<string> Arguments(string script, string problems, string samples, string outDirectory, double timeoutSeconds, int workers)
    {
        var problemsDirectory = Path.GetDirectoryName(problems)!;
        var samplesDirectory = Path.GetDirectoryName(samples)!;
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
        };
        string problemsInside, samplesInside;
        if (problemsDirectory == samplesDirectory)
        {
            arguments.AddRange(["--ro-bind", problemsDirectory, "/data"]);
            problemsInside = "/data/" + Path.GetFileName(problems);
            samplesInside = "/data/" + Path.GetFileName(samples);
        }
        else
        {
            arguments.AddRange(["--ro-bind", problemsDirectory, "/data/problems", "--ro-bind", samplesDirectory, "/data/samples"]);
            problemsInside = "/data/problems/" + Path.GetFileName(problems);
            samplesInside = "/data/samples/" + Path.GetFileName(samples);
        }
        arguments.AddRange([
            "--ro-bind", Path.GetDirectoryName(script)!, "/baselines",
            "--bind", outDirectory, "/out",
            "--chdir", "/tmp",
            Interpreter, "-I", "/baselines/" + Path.GetFileName(script),
            problemsInside, samplesInside, "/out/results.jsonl",
            "--timeout", timeoutSeconds.ToString("0.0##", CultureInfo.InvariantCulture),
            "--workers", workers.ToString(CultureInfo.InvariantCulture),
        ]);
        return arguments;
    }

    /// <summary>The harness on the host, as its users run it: the interpreter in isolated mode, the files where they are.</summary>
    private static List<string> HostArguments(string script, string problems, string samples, string results, double timeoutSeconds, int workers) =>
    [
        "-I", script, problems, samples, results,
        "--timeout", timeoutSeconds.ToString("0.0##", CultureInfo.InvariantCulture),
        "--workers", workers.ToString(CultureInfo.InvariantCulture),
    ];

    private static async Task<string> PythonVersionAsync(CancellationToken cancellationToken)
    {
        var psi = new ProcessStartInfo(Interpreter, "--version") { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(psi);
        if (process is null) return "unknown";
        var text = await process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return text.Trim();
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has already exited.
        }
    }

    private static string Tail(string path)
    {
        var lines = File.ReadAllLines(path);
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 20)));
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsAsciiLetterOrDigit(c) || "/._-=+:,".Contains(c, StringComparison.Ordinal))
            ? argument
            : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
