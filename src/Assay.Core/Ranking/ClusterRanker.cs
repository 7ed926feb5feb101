namespace Assay.Core.Ranking;

/// <summary>
/// AlphaCode's selection (Li et al., 2022; algorithms.md §3): drop candidates that fail the problem's example
/// tests, cluster the rest by identical behaviour on generated inputs (an error or a timeout is a value of its
/// own, so programs that crash alike cluster together), and rank clusters by size in raw samples. Clusters
/// whose every output is an error or timeout are dropped by default (the spec's option). Equal sizes are merged.
/// </summary>
public static class ClusterRanker
{
    /// <param name="passesExamples">Per candidate: passed the example tests (null: no filter, e.g. CodeT's prompts, which have their examples removed).</param>
    public static CandidateRanking Rank(ExecutionMatrix matrix, IReadOnlyList<bool>? passesExamples = null, bool dropAllErrorClusters = true)
    {
        var (clusters, unranked) = Clusters(matrix, passesExamples, dropAllErrorClusters);
        var units = clusters.Select(c => ((IReadOnlyList<int>)c, (double)c.Sum(i => matrix.CodeMultiplicity[i])));
        return new CandidateRanking("cluster", new Dictionary<string, string>
        {
            ["filter"] = passesExamples is null ? "none" : "example tests",
            ["drop_all_error_clusters"] = dropAllErrorClusters ? "true" : "false",
        }, CandidateRanking.Merge(units, matrix.CodeMultiplicity), unranked);
    }

    /// <summary>
    /// AlphaCode's submissions: one candidate per cluster, largest cluster first (ties: first appearance),
    /// continuing round-robin through the clusters while the budget lasts.
    /// </summary>
    public static IReadOnlyList<int> Select(ExecutionMatrix matrix, IReadOnlyList<bool>? passesExamples, int budget = 10, bool dropAllErrorClusters = true)
    {
        var (clusters, _) = Clusters(matrix, passesExamples, dropAllErrorClusters);
        var ordered = clusters.Select((c, order) => (c, order))
            .OrderByDescending(x => x.c.Sum(i => matrix.CodeMultiplicity[i])).ThenBy(x => x.order).Select(x => x.c).ToList();
        var picks = new List<int>();
        for (var round = 0; picks.Count < budget && ordered.Any(c => round < c.Count); round++)
        {
            foreach (var cluster in ordered)
                if (round < cluster.Count && picks.Count < budget) picks.Add(cluster[round]);
        }
        return picks;
    }

    private static (List<List<int>> Clusters, List<int> Unranked) Clusters(ExecutionMatrix matrix, IReadOnlyList<bool>? passesExamples, bool dropAllErrors)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (!matrix.HasOutputs) throw new ArgumentException("clustering needs an output matrix", nameof(matrix));
        if (passesExamples is not null && passesExamples.Count != matrix.Codes) throw new ArgumentException("one filter result per candidate", nameof(passesExamples));
        var byBehaviour = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var clusters = new List<List<int>>();
        var unranked = new List<int>();
        for (var i = 0; i < matrix.Codes; i++)
        {
            if (passesExamples is not null && !passesExamples[i])
            {
                unranked.Add(i);
                continue;
            }
            var parts = new string[matrix.Tests];
            var anyValue = false;
            for (var j = 0; j < matrix.Tests; j++)
            {
                if (matrix.Output(i, j) is { } v)
                {
                    parts[j] = "=" + v;
                    anyValue = true;
                }
                else
                {
                    // Error and timeout are distinct behaviours; a test never run counts as the timeout that stopped it.
                    parts[j] = matrix[i, j] is CellOutcome.Timeout or CellOutcome.NotRun ? "!timeout" : "!error";
                }
            }
            if (dropAllErrors && !anyValue)
            {
                unranked.Add(i);
                continue;
            }
            var key = string.Join('\u0001', parts);
            if (!byBehaviour.TryGetValue(key, out var cluster))
            {
                byBehaviour[key] = cluster = [];
                clusters.Add(cluster);
            }
            cluster.Add(i);
        }
        return (clusters, unranked);
    }
}
