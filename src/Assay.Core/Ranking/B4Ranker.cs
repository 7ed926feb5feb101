using System.Globalization;

namespace Assay.Core.Ranking;

/// <summary>
/// B4 (Chen et al., ASE 2024; algorithms.md §4): every distinct pass/fail row y is a hypothesis "the tests in
/// y are the correct ones and the candidates with exactly this row are the correct code"; its log posterior is
/// a sum of four log Beta functions. As in the B4 repository, rows and columns are distinct candidates and
/// tests without multiplicity. Defaults are the repository's real-data setting (β₀ = 1e4, α = 1e3).
/// </summary>
public static class B4Ranker
{
    public const double DefaultBeta0 = 1e4;
    public const double DefaultAlpha = 1e3;

    public static CandidateRanking Rank(ExecutionMatrix matrix, double beta0 = DefaultBeta0, double alpha = DefaultAlpha)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        if (matrix.HasOutputs) throw new ArgumentException("B4 needs a pass/fail matrix", nameof(matrix));
        int n = matrix.Codes, m = matrix.Tests;
        // Column sums let each hypothesis's two blocks of "wrong code" cells be counted without a pass over them:
        // the candidates of x pass exactly y's tests, so the rest of each column belongs to the wrong codes.
        var columnPasses = new int[m];
        var rows = new Dictionary<string, (List<int> Codes, bool[] Row)>(StringComparer.Ordinal);
        var order = new List<string>();
        for (var i = 0; i < n; i++)
        {
            var row = new bool[m];
            for (var j = 0; j < m; j++)
            {
                row[j] = matrix.Passed(i, j);
                if (row[j]) columnPasses[j]++;
            }
            var key = new string(row.Select(b => b ? '1' : '0').ToArray());
            if (!rows.TryGetValue(key, out var entry))
            {
                rows[key] = entry = (new List<int>(), row);
                order.Add(key);
            }
            entry.Codes.Add(i);
        }
        var units = order.Select(key =>
        {
            var (codes, y) = rows[key];
            var ySize = y.Count(b => b);
            var xSize = codes.Count;
            var wrong = n - xSize;
            long s1 = 0, s0 = 0;
            for (var j = 0; j < m; j++)
            {
                if (y[j]) s1 += columnPasses[j] - xSize;
                else s0 += columnPasses[j];
            }
            long n1 = (long)wrong * ySize, n0 = (long)wrong * (m - ySize);
            var score = LogBeta.Of(ySize + alpha, m - ySize + 1)
                + LogBeta.Of(xSize + alpha, n - xSize + 1)
                + LogBeta.Of(s1 + 1, n1 - s1 + 1)
                + LogBeta.Of(s0 + 1, n0 - s0 + beta0);
            return ((IReadOnlyList<int>)codes, score);
        });
        return new CandidateRanking("b4", new Dictionary<string, string>
        {
            ["beta_0"] = beta0.ToString("R", CultureInfo.InvariantCulture),
            ["alpha_xy"] = alpha.ToString("R", CultureInfo.InvariantCulture),
        }, CandidateRanking.Merge(units, matrix.CodeMultiplicity), []);
    }
}

/// <summary>ln B(a, b) = lnΓ(a) + lnΓ(b) − lnΓ(a+b), with a Lanczos lnΓ (about 15 significant digits).</summary>
internal static class LogBeta
{
    private static readonly double[] Coefficients =
    [
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];

    public static double Of(double a, double b) => LogGamma(a) + LogGamma(b) - LogGamma(a + b);

    public static double LogGamma(double x)
    {
        if (x <= 0) throw new ArgumentOutOfRangeException(nameof(x), x, "lnΓ is used for positive arguments only");
        if (x < 0.5) return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        x -= 1;
        var sum = Coefficients[0];
        var t = x + 7.5;
        for (var i = 1; i < Coefficients.Length; i++) sum += Coefficients[i] / (x + i);
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
