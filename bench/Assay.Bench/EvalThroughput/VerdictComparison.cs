namespace Assay.Bench.EvalThroughput;

/// <summary>
/// Compares per-sample passed flags by (task_id, completion_id). One kind of disagreement is expected: the
/// classic harness's wall-clock alarm (3 s for the whole program, on a machine it keeps fully loaded) fires
/// on programs that Assay, limiting CPU time per test, sees finish. Every other kind is listed as suspect.
/// </summary>
internal static class VerdictComparison
{
    public const int ExamplesPerKind = 10;

    private const int ErrorLength = 200;

    public static VerdictAgreement Compare(BaselineRun baseline, AssayRun assay)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(assay);
        var compared = 0;
        var disagreements = new List<(string Kind, bool Allowed, (string TaskId, int CompletionId) Key, string Baseline, AssaySampleVerdict Assay)>();
        foreach (var (key, b) in baseline.Verdicts)
        {
            if (!assay.Verdicts.TryGetValue(key, out var a)) continue;
            compared++;
            if (b.Passed == a.Passed) continue;
            var baselineSide = b.Passed ? "passed" : b.Result == "timed out" ? "timed out" : "failed";
            var assaySide = a.Passed ? "passed" : a.Status;
            disagreements.Add(($"baseline {baselineSide}, Assay {assaySide}", baselineSide == "timed out" && a.Passed, key, b.Result, a));
        }
        var kinds = disagreements
            .GroupBy(d => d.Kind, StringComparer.Ordinal)
            .Select(g => new DisagreementKind(
                g.Key,
                g.First().Allowed,
                g.Count(),
                g.Select(d => (d.Key.TaskId, d.Assay.Program)).Distinct().Count(),
                // One example per distinct program first, so that the listing is not one program many times.
                g.OrderBy(d => d.Key.TaskId, StringComparer.Ordinal).ThenBy(d => d.Key.CompletionId)
                    .GroupBy(d => (d.Key.TaskId, d.Assay.Program))
                    .Select(p => p.First())
                    .Take(ExamplesPerKind)
                    .Select(d => new DisagreementExample(d.Key.TaskId, d.Key.CompletionId, d.Baseline, d.Assay.Status, Truncate(d.Assay.Error),
                        Math.Round(d.Assay.CpuTimeMs, 1), d.Assay.Isolated))
                    .ToList()))
            .OrderBy(k => k.Allowed ? 0 : 1)
            .ThenByDescending(k => k.Samples)
            .ToList();
        var allowed = disagreements.Count(d => d.Allowed);
        return new VerdictAgreement(
            compared,
            compared - disagreements.Count,
            disagreements.Count,
            allowed,
            disagreements.Count - allowed,
            disagreements.Select(d => (d.Key.TaskId, d.Assay.Program)).Distinct().Count(),
            baseline.Verdicts.Keys.Count(k => !assay.Verdicts.ContainsKey(k)),
            assay.Verdicts.Keys.Count(k => !baseline.Verdicts.ContainsKey(k)),
            kinds);
    }

    /// <summary>Samples whose passed flag differs between two Assay runs (cold against warm: should be none).</summary>
    public static int CountDifferent(AssayRun first, AssayRun second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        return first.Verdicts.Count(p => !second.Verdicts.TryGetValue(p.Key, out var other) || other.Passed != p.Value.Passed)
            + second.Verdicts.Keys.Count(k => !first.Verdicts.ContainsKey(k));
    }

    private static string? Truncate(string? text) =>
        text is { Length: > ErrorLength } ? text[..ErrorLength] + "..." : text;
}
