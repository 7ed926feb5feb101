using System.Globalization;

namespace Assay.Core.Ranking;

/// <summary>
/// CodeT's dual execution agreement (Chen et al., ICLR 2023; algorithms.md §1). A consensus set is every
/// candidate with the same set of passed tests; its score is (raw samples)^exponent × (test samples passed),
/// both counted with multiplicity. Exponent 1 is the paper's formula, 0.5 the official code's (math.sqrt).
/// Candidates that pass no test join no consensus set and are left unranked.
/// </summary>
public static class CodeTRanker
{
    /// <summary>The official implementation's exponent (the reference figures use it).</summary>
    public const double OfficialExponent = 0.5;

    /// <summary>The paper's formula |S^x|·|S^y|.</summary>
    public const double PaperExponent = 1.0;

    public static CandidateRanking Rank(ExecutionMatrix matrix, double codeExponent = OfficialExponent)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.HasOutputs) throw new ArgumentException("CodeT needs a pass/fail matrix", nameof(matrix));
        var sets = new Dictionary<string, (List<int> Codes, List<int> Tests)>(StringComparer.Ordinal);
        var order = new List<string>();
        var unranked = new List<int>();
        for (var i = 0; i < matrix.Codes; i++)
        {
            var passed = new List<int>();
            for (var j = 0; j < matrix.Tests; j++)
                if (matrix.Passed(i, j)) passed.Add(j);
            if (passed.Count == 0)
            {
                unranked.Add(i);
                continue;
            }
            var key = string.Join(',', passed);
            if (!sets.TryGetValue(key, out var set))
            {
                sets[key] = set = (new List<int>(), passed);
                order.Add(key);
            }
            set.Codes.Add(i);
        }
        var units = order.Select(key =>
        {
            var (codes, tests) = sets[key];
            var sx = codes.Sum(i => (double)matrix.CodeMultiplicity[i]);
            var sy = tests.Sum(j => (double)matrix.TestMultiplicity[j]);
            return ((IReadOnlyList<int>)codes, Math.Pow(sx, codeExponent) * sy);
        });
        return new CandidateRanking("codet", new Dictionary<string, string> { ["code_exponent"] = codeExponent.ToString("R", CultureInfo.InvariantCulture) },
            CandidateRanking.Merge(units, matrix.CodeMultiplicity), unranked);
    }
}
