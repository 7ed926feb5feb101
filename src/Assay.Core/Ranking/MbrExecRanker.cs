namespace Assay.Core.Ranking;

/// <summary>The loss MBR-exec minimises between two programs' results.</summary>
public enum MbrLoss
{
    /// <summary>The paper's 0/1 loss: two programs agree only if both ran without error on every input and returned equal values on all.</summary>
    Hard,

    /// <summary>The soft variant: the fraction of inputs on which both returned equal values.</summary>
    Soft,
}

/// <summary>
/// MBR-exec (Shi et al., EMNLP 2022; algorithms.md §2) over an output matrix: each candidate's score is its
/// agreement Σ_j mult_j · match(i, j) over all raw samples (itself included), i.e. n minus its Bayes risk; an
/// error or timeout never agrees, not even with another error. The official code breaks ties by the higher
/// sum log-prob; samples here carry none, so equal agreements are merged (uniform pick) and recorded.
/// </summary>
public static class MbrExecRanker
{
    public static CandidateRanking Rank(ExecutionMatrix matrix, MbrLoss loss = MbrLoss.Hard)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (!matrix.HasOutputs) throw new ArgumentException("MBR-exec needs an output matrix", nameof(matrix));
        int n = matrix.Codes, m = matrix.Tests;
        var scores = new double[n];
        if (loss == MbrLoss.Hard)
        {
            // Hard loss: agreement is "same full signature, no errors", so count signatures once.
            var signatures = new string?[n];
            var weight = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < n; i++)
            {
                signatures[i] = Signature(matrix, i);
                if (signatures[i] is { } s) weight[s] = weight.GetValueOrDefault(s) + matrix.CodeMultiplicity[i];
            }
            for (var i = 0; i < n; i++) scores[i] = signatures[i] is { } s ? weight[s] : 0;
        }
        else
        {
            // Soft loss: per input, the weight of each returned value; a candidate scores the mean over inputs.
            for (var j = 0; j < m; j++)
            {
                var weight = new Dictionary<string, int>(StringComparer.Ordinal);
                for (var i = 0; i < n; i++)
                    if (matrix.Output(i, j) is { } v) weight[v] = weight.GetValueOrDefault(v) + matrix.CodeMultiplicity[i];
                for (var i = 0; i < n; i++)
                    if (matrix.Output(i, j) is { } v) scores[i] += (double)weight[v] / m;
            }
        }
        // Candidates that behave identically share a score; one unit each, so that a recorded tie is a tie between behaviours.
        var units = Enumerable.Range(0, n).GroupBy(i => RowKey(matrix, i), StringComparer.Ordinal)
            .Select(g => ((IReadOnlyList<int>)g.ToList(), scores[g.First()]));
        return new CandidateRanking("mbr", new Dictionary<string, string> { ["loss"] = loss.ToString().ToLowerInvariant(), ["inputs"] = m.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            CandidateRanking.Merge(units, matrix.CodeMultiplicity), []);
    }

    /// <summary>The candidate's whole row (values and failure kinds), to group identical behaviour.</summary>
    internal static string RowKey(ExecutionMatrix matrix, int code) =>
        string.Join('\u0001', Enumerable.Range(0, matrix.Tests).Select(j => matrix.Output(code, j) is { } v ? "=" + v : "!" + matrix[code, j]));

    /// <summary>The candidate's outputs on every input joined, or null if any call did not return.</summary>
    internal static string? Signature(ExecutionMatrix matrix, int code)
    {
        var parts = new string[matrix.Tests];
        for (var j = 0; j < matrix.Tests; j++)
        {
            if (matrix.Output(code, j) is not { } v) return null;
            parts[j] = v;
        }
        return string.Join('\u0001', parts);
    }
}
