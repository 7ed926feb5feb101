using System.Text;

namespace Assay.Bench.EvalThroughput;

/// <summary>The human-readable report: the machine, one row per run, the speed-up, then the verdict agreement.</summary>
internal static class EvalThroughputText
{
    public static string Render(EvalThroughputResult r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var m = r.Machine;
        var s = r.Settings;
        var text = new StringBuilder();
        text.AppendLine($"Assay evaluation throughput ({r.TimestampUtc:yyyy-MM-dd HH:mm} UTC)");
        text.AppendLine($"  command:   {r.Command}");
        text.AppendLine($"  source:    commit {r.Source.Commit}" + (r.Source.UncommittedSourceFiles.Count == 0 ? ", no uncommitted edits"
            : $", uncommitted: {string.Join(", ", r.Source.UncommittedSourceFiles)}") + $"; judge fingerprint {r.AssayCold.JudgeFingerprint}");
        text.AppendLine($"  machine:   {m.Cores} cores ({m.CpuModel}), {m.MemoryGib} GiB, kernel {m.Kernel}, {m.Os}");
        text.AppendLine($"  runtime:   {m.Dotnet}; {m.Bubblewrap}; cgroup {m.Cgroup}; {(m.RunsAsRoot ? "root (per-slot uids)" : "unprivileged")}");
        text.AppendLine($"  load avg:  {m.LoadAverage} before, {r.LoadAverageAfter} after (1/5/15 min; other work on the machine skews every figure)");
        if (r.ProcessCosts is { } costs) text.AppendLine($"  processes: {costs}");
        text.AppendLine($"  problems:  {s.Problems}");
        text.AppendLine($"  samples:   {s.SamplesUsed}{(s.BaselineLimit is { } n ? $" (first {n} records of {Path.GetFileName(s.Samples)})" : "")}");
        text.AppendLine($"  settings:  baseline {s.BaselineWorkers} workers, {s.BaselineTimeoutSeconds:0.0##} s wall limit per program; " +
            $"Assay {s.AssayConcurrency} sandboxes, {s.AssayIsolation} isolation, calibrated CPU limits");
        text.AppendLine();
        text.AppendLine($"  {"",-34}{"samples",8}{"distinct",9}{"passed",8}{"time s",9}{"samples/s",10}{"pass@1",8}{"pass@10",8}{"pass@100",9}");
        if (r.Baseline is { } b)
            Row(text, "classic baseline (bwrap)", b.Samples, b.DistinctPrograms, b.Passed, b.WallSeconds, b.SamplesPerSecond, b.PassAtK);
        else
            text.AppendLine($"  {"classic baseline",-34}skipped (--skip-baseline)");
        if (r.HostBaseline is { } h)
            Row(text, "classic baseline (host, no sandbox)", h.Samples, h.DistinctPrograms, h.Passed, h.WallSeconds, h.SamplesPerSecond, h.PassAtK);
        Row(text, "Assay cold (NoVerdictStore)", r.AssayCold);
        Row(text, "Assay filling an empty store", r.AssayStoreFill);
        Row(text, "Assay warm store (re-run)", r.AssayWarm);
        text.AppendLine();
        text.AppendLine($"  {"CPU time (/proc)",-34}{"own s",9}{"ms/sample",11}{"other work on the machine meanwhile",38}");
        if (r.Baseline is { Cpu: { } baselineCpu }) CpuRow(text, "classic baseline (bwrap)", baselineCpu);
        if (r.HostBaseline is { Cpu: { } hostCpu }) CpuRow(text, "classic baseline (host)", hostCpu);
        CpuRow(text, "Assay cold (NoVerdictStore)", r.AssayCold.Cpu);
        CpuRow(text, "Assay filling an empty store", r.AssayStoreFill.Cpu);
        CpuRow(text, "Assay warm store (re-run)", r.AssayWarm.Cpu);
        text.AppendLine("  (own = the baseline's cgroup: its whole bwrap tree; for Assay, this process and its supervisors with every");
        text.AppendLine("   sandbox; other = the rest of the machine's busy time meanwhile, as a share of cores x wall time)");
        text.AppendLine();
        if (r.Baseline is { } baseline)
        {
            if (r.HostSpeedUp is { } hostSpeedUp)
            {
                text.AppendLine($"  speed-up, Assay cold vs the classic harness as its users run it (host), end to end: {hostSpeedUp:F1}x  " +
                    $"(target >= {r.TargetSpeedUp:F0}x: {(r.MeetsTarget == true ? "met" : "NOT met")})");
                text.AppendLine($"  speed-up, Assay cold vs baseline in bwrap, end to end: {r.SpeedUp:F1}x");
                if (r.HostAgreement is { } ha)
                    text.AppendLine($"  host baseline vs Assay cold: {ha.Agreeing} of {ha.Compared} samples agree ({ha.AllowedDisagreements} allowed, {ha.OtherDisagreements} other)");
            }
            else
            {
                text.AppendLine($"  speed-up, Assay cold vs baseline, end to end: {r.SpeedUp:F1}x  (target >= {r.TargetSpeedUp:F0}x: {(r.MeetsTarget == true ? "met" : "NOT met")})");
            }
            text.AppendLine($"  speed-up, judging only (baseline's pool {baseline.JudgingSeconds:F1} s vs Assay's evaluator " +
                $"{r.AssayCold.JudgingSeconds:F1} s): {r.JudgingSpeedUp:F1}x");
            if (r.CpuRatio is { } cpuRatio)
                text.AppendLine($"  CPU time per sample, baseline / Assay cold: {cpuRatio:F1}x  (less sensitive to other work on the machine than wall time)");
            text.AppendLine($"  baseline: {baseline.TimedOutPrograms} distinct programs timed out; {baseline.Python}; exit code {baseline.ExitCode}; " +
                $"{baseline.StderrBytes} bytes of stderr (to a file)");
        }
        var c = r.AssayCold;
        text.AppendLine($"  Assay cold: load {c.LoadSeconds:F2} s, evaluator {c.JudgingSeconds:F1} s; {c.JudgedNow} programs judged, " +
            $"{c.JudgedAlone} samples judged alone; statuses {string.Join(", ", c.StatusCounts.Select(p => $"{p.Key} {p.Value}"))}");
        text.AppendLine($"  Assay warm: {r.AssayWarm.SamplesFromStore} of {r.AssayWarm.Samples} samples from the store, {r.AssayWarm.JudgedNow} judged now; " +
            $"cold vs warm verdicts differ on {r.WarmColdDisagreements} samples");
        if (c.ReferenceFailures.Count > 0) text.AppendLine($"  reference solutions failing: {string.Join("; ", c.ReferenceFailures)}");

        if (r.Agreement is { } a)
        {
            text.AppendLine();
            text.AppendLine($"Verdict agreement (passed flag per task_id + completion_id, baseline vs Assay cold): " +
                $"{a.Agreeing} of {a.Compared} agree ({100.0 * a.Agreeing / Math.Max(1, a.Compared):F2}%), {a.Disagreeing} disagree " +
                $"({a.DistinctProgramsDisagreeing} distinct programs)");
            text.AppendLine($"  baseline timed out, Assay passed (allowed): {a.AllowedDisagreements}");
            text.AppendLine($"  any other kind:                              {a.OtherDisagreements}");
            if (a.OnlyInBaseline + a.OnlyInAssay > 0)
                text.AppendLine($"  only in the baseline: {a.OnlyInBaseline}; only in Assay: {a.OnlyInAssay}");
            foreach (var kind in a.Kinds)
            {
                text.AppendLine($"  {kind.Kind}{(kind.Allowed ? " (allowed)" : "")}: {kind.Samples} samples, {kind.DistinctPrograms} distinct programs");
                foreach (var e in kind.Examples)
                {
                    text.AppendLine($"    {e.TaskId} #{e.CompletionId}: baseline `{OneLine(e.Baseline)}`; Assay {e.AssayStatus}" +
                        $"{(e.AssayError is { } error ? $" `{OneLine(error)}`" : "")}, cpu {e.AssayCpuMs:F0} ms{(e.AssayIsolated ? ", judged alone" : "")}");
                }
            }
        }
        if (r.WorkDirectory is not null) text.AppendLine().AppendLine($"Files kept in {r.WorkDirectory}");
        return text.ToString().TrimEnd();
    }

    private static void Row(StringBuilder text, string label, AssayRun run) =>
        Row(text, label, run.Samples, run.DistinctPrograms, run.Passed, run.TotalSeconds, run.SamplesPerSecond, run.PassAtK);

    private static void Row(StringBuilder text, string label, int samples, int distinct, int passed, double seconds, double perSecond,
        IReadOnlyDictionary<string, double> passAtK)
    {
        text.Append($"  {label,-34}{samples,8}{distinct,9}{passed,8}{seconds,9:F1}{perSecond,10:F1}");
        foreach (var (k, width) in new[] { ("1", 8), ("10", 8), ("100", 9) })
            text.Append(passAtK.TryGetValue(k, out var value) ? (value * 100).ToString("F2").PadLeft(width) : "-".PadLeft(width));
        text.AppendLine();
    }

    private static void CpuRow(StringBuilder text, string label, RunCpu cpu) =>
        text.AppendLine($"  {label,-34}{cpu.OwnSeconds,9:F1}{cpu.OwnMsPerSample,11:F2}{$"{cpu.OtherSeconds:F1} s ({cpu.OtherShare * 100:F0}% of the machine)",38}");

    private static string OneLine(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length > 160 ? line[..160] + "..." : line;
    }
}
