namespace Assay.Core.Ranking;

/// <summary>
/// Plain majority vote over outputs, input by input: on each input the value returned by the most raw samples
/// is the majority answer (several values tied for most are all majority answers — recorded in the
/// parameters), and a candidate scores the number of inputs on which it returned a majority answer. Unlike
/// clustering it does not need a candidate to agree on every input at once; unlike MBR-exec an error on one
/// input costs only that input.
/// </summary>
public static class MajorityVoteRanker
{
    public static CandidateRanking Rank(ExecutionMatrix matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (!matrix.HasOutputs) throw new ArgumentException("majority vote needs an output matrix", nameof(matrix));
        var scores = new double[matrix.Codes];
        var tiedInputs = 0;
        for (var j = 0; j < matrix.Tests; j++)
        {
            var weight = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < matrix.Codes; i++)
                if (matrix.Output(i, j) is { } v) weight[v] = weight.GetValueOrDefault(v) + matrix.CodeMultiplicity[i];
            if (weight.Count == 0) continue;
            var top = weight.Values.Max();
            if (weight.Values.Count(w => w == top) > 1) tiedInputs++;
            for (var i = 0; i < matrix.Codes; i++)
                if (matrix.Output(i, j) is { } v && weight[v] == top) scores[i]++;
        }
        var units = Enumerable.Range(0, matrix.Codes).Where(i => scores[i] > 0).GroupBy(i => MbrExecRanker.RowKey(matrix, i), StringComparer.Ordinal)
            .Select(g => ((IReadOnlyList<int>)g.ToList(), scores[g.First()]));
        return new CandidateRanking("majority", new Dictionary<string, string>
        {
            ["inputs"] = matrix.Tests.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["inputs_with_tied_majority"] = tiedInputs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, CandidateRanking.Merge(units, matrix.CodeMultiplicity), Enumerable.Range(0, matrix.Codes).Where(i => scores[i] == 0).ToList());
    }
}
