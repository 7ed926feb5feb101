using System.Text;
using Assay.Bench.Measurement;

namespace Assay.Bench.SandboxOverhead;

/// <summary>The human-readable report: a header naming the machine, then one table per language.</summary>
internal static class SandboxOverheadText
{
    public static string Render(SandboxOverheadResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var m = r.Machine;
        var s = r.Settings;
        var p = r.Python;
        var c = r.Cpp;
        var text = new StringBuilder();
        text.AppendLine($"Assay sandbox overhead ({r.TimestampUtc:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine($"  command:   {r.Command}");
        text.AppendLine($"  machine:   {m.Cores} cores ({m.CpuModel}), {m.MemoryGib} GiB, kernel {m.Kernel}, {m.Os}");
        text.AppendLine($"  runtime:   {m.Dotnet}; {m.Bubblewrap}; cgroup {m.Cgroup}; {(m.RunsAsRoot ? "root (per-slot uids)" : "unprivileged")}");
        text.AppendLine($"  load avg:  {m.LoadAverage} before, {r.LoadAverageAfter} after (1/5/15 min; other work on the machine skews every figure)");
        text.AppendLine($"  settings:  {s.Runs} runs, {s.Concurrency} in flight, {s.WarmupRuns} warm-up runs before each measurement");
        text.AppendLine();
        text.AppendLine($"Python: {p.Version}, `{string.Join(' ', p.Command)}` with main.py = {p.Program}");
        text.AppendLine($"  {"",-34}{"runs/s",9}{"p50 ms",9}{"p90 ms",9}{"p99 ms",9}{"mean ms",9}");
        Row(text, "bare (Process.Start)", p.Bare.RunsPerSecond, p.Bare.LatencyMs);
        Row(text, "sandboxed (RunPreparedAsync)", p.Sandboxed.RunsPerSecond, p.Sandboxed.LatencyMs);
        Row(text, "  of which inside the supervisor", null, p.SupervisorWallMs);
        Row(text, "  of which outside it", null, p.OutsideSupervisorWallMs);
        text.AppendLine($"  cpu per run, ms: {"bench process",15}{"started programs",18}{"whole machine",15}");
        text.AppendLine($"    bare         {p.Bare.BenchCpuMsPerRun,17:F1}{p.Bare.ReapedChildCpuMsPerRun,18:F1}{p.Bare.MachineBusyMsPerRun,15:F1}");
        text.AppendLine($"    sandboxed    {p.Sandboxed.BenchCpuMsPerRun,17:F1}{p.SandboxedCpuMs.Mean,18:F1}{p.Sandboxed.MachineBusyMsPerRun,15:F1}");
        text.AppendLine($"  ratio sandboxed/bare (runs/s): {p.Ratio:F3}  (target >= {p.TargetRatio:F1}: {(p.MeetsTarget ? "met" : "NOT met")})");
        text.AppendLine($"  (inside = supervisor's own wall time: bwrap fork, namespaces and mounts, interpreter, teardown;");
        text.AppendLine($"   outside = per-run cgroup create/remove, pipes and mount fds, the request/response exchange, .NET;");
        text.AppendLine($"   started programs = the bare interpreters, or each sandbox's cgroup: bwrap, its init and the interpreter;");
        text.AppendLine($"   whole machine = /proc/stat busy time per run, kernel threads and any other work on the machine included)");
        text.AppendLine();
        text.AppendLine($"C++: {c.Compiler}, `{string.Join(' ', c.CompileCommand)}`, program: {c.Program.Replace("\n", " ", StringComparison.Ordinal)}");
        text.AppendLine($"  compile (cold cache, sandbox wall):     {c.CompileMs,9:F1} ms  (cpu {c.CompileCpuMs:F1} ms)");
        text.AppendLine($"  first run (RunAsync: compile + run):    {c.FirstRunMs,9:F1} ms");
        text.AppendLine($"  cached run (RunAsync, {c.CachedRuns} runs, 1 at a time): p50 {c.CachedRunMs.P50:F1} ms, p90 {c.CachedRunMs.P90:F1} ms, " +
            $"p99 {c.CachedRunMs.P99:F1} ms, mean {c.CachedRunMs.Mean:F1} ms");
        text.AppendLine($"  first run / cached run (p50):           {c.FirstToCachedRatio,9:F1} x");
        text.AppendLine($"  fresh runner PrepareAsync (disk cache): {c.DiskCachePrepareMs,9:F1} ms  ({(c.DiskCacheHit ? "hit" : "MISS")})");
        return text.ToString().TrimEnd();
    }

    private static void Row(StringBuilder text, string label, double? runsPerSecond, LatencySummary l) =>
        text.AppendLine($"  {label,-34}{(runsPerSecond is { } rps ? rps.ToString("F1") : "-"),9}{l.P50,9:F1}{l.P90,9:F1}{l.P99,9:F1}{l.Mean,9:F1}");
}
