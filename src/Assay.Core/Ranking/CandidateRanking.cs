namespace Assay.Core.Ranking;

/// <summary>
/// Candidates that share a rank: one consensus set, cluster or score level, or several of them merged because
/// their scores were equal. A pick from a group is a uniform draw from its raw samples.
/// </summary>
/// <param name="Members">Candidate (row) indices, ascending.</param>
/// <param name="Score">The ranker's score for the group (higher is better).</param>
/// <param name="Samples">Raw samples behind the members (the sum of their multiplicities).</param>
/// <param name="MergedFrom">How many consensus sets/clusters/levels tied at this score and were merged (1 = no tie).</param>
public sealed record RankedGroup(IReadOnlyList<int> Members, double Score, int Samples, int MergedFrom);

/// <summary>
/// A ranker's answer for one problem: groups best first, the candidates it could not rank, and how ties were
/// handled. Reported pass@k depends on the tie rule, so it always travels with the groups.
/// </summary>
/// <param name="Method">`codet`, `b4`, `mbr`, `cluster`, `majority`.</param>
/// <param name="Parameters">The ranker's settings, as text (e.g. `code_exponent=0.5`).</param>
/// <param name="Groups">Best first; equal scores already merged.</param>
/// <param name="Unranked">Candidates no group holds (CodeT: passes no test; clustering: filtered out or all errors).</param>
public sealed record CandidateRanking(string Method, IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<RankedGroup> Groups, IReadOnlyList<int> Unranked)
{
    /// <summary>The rule every ranker here uses; CodeT's evaluator does the same (algorithms.md §0, §1).</summary>
    public const string TieRule = "equal scores merged into one group; a pick is a uniform draw from the group's raw samples";

    /// <summary>How many groups tied for rank 1 before merging (1 when the top is unique).</summary>
    public int TiedAtTop => Groups.Count == 0 ? 0 : Groups[0].MergedFrom;

    /// <summary>
    /// A deterministic order of candidates for output files: by group, and within a group by candidate index
    /// (the order of first appearance in the samples file) — recorded as the within-group tie-break.
    /// </summary>
    public IEnumerable<int> Order() => Groups.SelectMany(g => g.Members);

    /// <summary>
    /// Sorts scored units (consensus sets, clusters, candidates) best first and merges equal scores. Units of
    /// equal score keep their first-appearance order inside the merged group. Scores count as equal within a
    /// relative 1e-9, so that √4·3 and √9·2 tie as they do in exact arithmetic.
    /// </summary>
    public static IReadOnlyList<RankedGroup> Merge(IEnumerable<(IReadOnlyList<int> Members, double Score)> units, IReadOnlyList<int> codeMultiplicity)
    {
        ArgumentNullException.ThrowIfNull(units);
        ArgumentNullException.ThrowIfNull(codeMultiplicity);
        var sorted = units.Select((u, order) => (u.Members, u.Score, order))
            .OrderByDescending(u => u.Score).ThenBy(u => u.order).ToList();
        var groups = new List<RankedGroup>();
        foreach (var unit in sorted)
        {
            if (groups.Count > 0 && SameScore(groups[^1].Score, unit.Score))
            {
                var last = groups[^1];
                var members = last.Members.Concat(unit.Members).Order().ToArray();
                groups[^1] = last with { Members = members, Samples = last.Samples + unit.Members.Sum(i => codeMultiplicity[i]), MergedFrom = last.MergedFrom + 1 };
            }
            else
            {
                groups.Add(new RankedGroup(unit.Members.Order().ToArray(), unit.Score, unit.Members.Sum(i => codeMultiplicity[i]), 1));
            }
        }
        return groups;
    }

    private static bool SameScore(double a, double b) =>
        a == b || Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b));
}
