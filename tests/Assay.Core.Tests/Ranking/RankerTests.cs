using Assay.Core.Ranking;

namespace Assay.Core.Tests.Ranking;

/// <summary>
/// The rankers against the worked examples of algorithms.md (§1–§4, §13) and against values printed by the
/// oracles in ref_impl.py (`codet_rank`, `b4_rank`, `ranked_pass_at_k`, `mbr_exec_select`, `alphacode_select`).
/// </summary>
public sealed class RankerTests
{
    private static readonly int[][] ExampleA = [[1, 1, 0], [1, 1, 0], [1, 1, 1]];
    private static readonly int[][] ExampleB = [[1, 1, 0], [1, 1, 0], [0, 0, 1]];
    private static readonly int[][] ExampleC = [[1, 1, 1, 0], [1, 1, 1, 0], [1, 0, 0, 1], [1, 0, 0, 1], [1, 0, 0, 1], [0, 0, 0, 0]];

    private static ExecutionMatrix Matrix(int[][] rows, int[]? codeMult = null, int[]? testMult = null) =>
        ExecutionMatrix.FromPasses(rows.Select(r => (IReadOnlyList<int>)r).ToList(), codeMult, testMult);

    private static (int[] Members, double Score)[] Groups(CandidateRanking r) => r.Groups.Select(g => (g.Members.ToArray(), g.Score)).ToArray();

    private static void AssertGroups(CandidateRanking actual, params (int[] Members, double Score)[] expected)
    {
        var groups = Groups(actual);
        Assert.Equal(expected.Length, groups.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Members, groups[i].Members);
            Assert.Equal(expected[i].Score, groups[i].Score, 3);
        }
    }

    [Fact]
    public void CodeT_example_A_paper_formula_prefers_the_wrong_pair_and_the_repo_formula_the_right_code()
    {
        var paper = CodeTRanker.Rank(Matrix(ExampleA), CodeTRanker.PaperExponent);
        AssertGroups(paper, ([0, 1], 4.0), ([2], 3.0));
        var repo = CodeTRanker.Rank(Matrix(ExampleA), CodeTRanker.OfficialExponent);
        AssertGroups(repo, ([2], 3.0), ([0, 1], 2.828));
        Assert.Equal("0.5", repo.Parameters["code_exponent"]);

        int[] correct = [0, 0, 1];
        Assert.Equal(0.0, RankedPassAtK.Estimate(paper, Matrix(ExampleA), correct, 1), 9);
        Assert.Equal(1.0, RankedPassAtK.Estimate(repo, Matrix(ExampleA), correct, 1), 9);
        Assert.Equal(1.0, RankedPassAtK.Estimate(paper, Matrix(ExampleA), correct, 2), 9);
    }

    [Fact]
    public void CodeT_example_B()
    {
        AssertGroups(CodeTRanker.Rank(Matrix(ExampleB), 1.0), ([0, 1], 4.0), ([2], 1.0));
        AssertGroups(CodeTRanker.Rank(Matrix(ExampleB), 0.5), ([0, 1], 2.828), ([2], 1.0));
    }

    [Fact]
    public void CodeT_example_C_merges_the_tie_under_the_paper_formula_and_leaves_the_silent_code_unranked()
    {
        var paper = CodeTRanker.Rank(Matrix(ExampleC), 1.0);
        var top = Assert.Single(paper.Groups);
        Assert.Equal([0, 1, 2, 3, 4], top.Members);
        Assert.Equal(6.0, top.Score, 9);
        Assert.Equal(2, top.MergedFrom);
        Assert.Equal(2, paper.TiedAtTop);
        Assert.Equal([5], paper.Unranked);

        var repo = CodeTRanker.Rank(Matrix(ExampleC), 0.5);
        AssertGroups(repo, ([0, 1], 4.243), ([2, 3, 4], 3.464));
        Assert.Equal(1, repo.TiedAtTop);
    }

    [Theory]
    // ref_impl.ranked_pass_at_k(codet_rank(E3, code_exponent=e), [1,0,1,1,0,1], k)
    [InlineData(1.0, 1, 0.6)]
    [InlineData(1.0, 2, 0.84)]
    [InlineData(1.0, 3, 0.936)]
    [InlineData(1.0, 5, 0.98976)]
    [InlineData(0.5, 1, 0.5)]
    [InlineData(0.5, 2, 0.8333333333)]
    [InlineData(0.5, 3, 0.9166666667)]
    [InlineData(0.5, 5, 0.9861111111)]
    public void Ranked_pass_at_k_matches_the_oracle_on_example_C(double exponent, int k, double expected)
    {
        var matrix = Matrix(ExampleC);
        Assert.Equal(expected, RankedPassAtK.Estimate(CodeTRanker.Rank(matrix, exponent), matrix, [1, 0, 1, 1, 0, 1], k), 9);
    }

    [Theory]
    // ref_impl on the same matrix expanded to one row per raw sample (CodeT's own counting).
    [InlineData(1, 0.6666666667)]
    [InlineData(2, 0.8333333333)]
    [InlineData(3, 1.0)]
    [InlineData(6, 1.0)]
    public void Multiplicities_count_as_raw_samples_for_scores_and_for_ranked_pass_at_k(int k, double expected)
    {
        var matrix = Matrix([[1, 1, 0], [1, 1, 0], [1, 1, 1], [1, 0, 1], [0, 0, 0], [0, 1, 0]], [1, 1, 1, 3, 1, 2], [2, 1, 1]);
        var ranking = CodeTRanker.Rank(matrix, 0.5);
        AssertGroups(ranking, ([3], 5.196152423), ([0, 1], 4.242640687), ([2], 4.0), ([5], 1.414213562));
        Assert.Equal(expected, RankedPassAtK.Estimate(ranking, matrix, [1, 0, 1, 2, 0, 1], k), 9);
        AssertGroups(CodeTRanker.Rank(matrix, 1.0), ([3], 9.0), ([0, 1], 6.0), ([2], 4.0), ([5], 2.0));
    }

    [Fact]
    public void No_consensus_set_falls_back_to_random_pass_at_k()
    {
        var matrix = Matrix([[0, 0], [0, 0]], [3, 2]);
        var ranking = CodeTRanker.Rank(matrix);
        Assert.Empty(ranking.Groups);
        Assert.Equal(2.0 / 5, RankedPassAtK.Estimate(ranking, matrix, [0, 2], 1), 9);
        Assert.Equal(0.7, RankedPassAtK.Estimate(ranking, matrix, [0, 2], 2), 9);
    }

    [Fact]
    public void B4_worked_examples_and_hyperparameters_flip_decisions()
    {
        AssertGroups(B4Ranker.Rank(Matrix(ExampleA)), ([2], -40.811), ([0, 1], -47.160));
        AssertGroups(B4Ranker.Rank(Matrix(ExampleA), 10, 10), ([0, 1], -15.899), ([2], -16.276));
        AssertGroups(B4Ranker.Rank(Matrix(ExampleA), 1e4, 1), ([2], -17.736), ([0, 1], -24.489));
        AssertGroups(B4Ranker.Rank(Matrix(ExampleB)), ([0, 1], -47.160), ([2], -84.045));
        AssertGroups(B4Ranker.Rank(Matrix(ExampleC)), ([0, 1], -88.212), ([2, 3, 4], -93.426), ([5], -167.816));
        AssertGroups(B4Ranker.Rank(Matrix(ExampleC), 10, 10), ([2, 3, 4], -30.534), ([0, 1], -31.449), ([5], -41.157));
    }

    [Fact]
    public void B4_ignores_multiplicities_and_merges_an_exact_tie_like_the_oracle_orders_it()
    {
        // ref_impl.b4_rank on this matrix: ([6] -80.155191458), ([2] -100.515963196), ([3] -100.515963196), ...
        var matrix = Matrix([[0, 1, 0, 0, 0], [0, 1, 0, 0, 0], [1, 1, 1, 1, 0], [1, 1, 1, 0, 1], [1, 0, 0, 0, 0], [1, 1, 1, 0, 0], [1, 1, 1, 1, 1]],
            [3, 1, 2, 2, 1, 1, 2], [2, 2, 1, 1, 2]);
        var ranking = B4Ranker.Rank(matrix);
        AssertGroups(ranking, ([6], -80.155191458), ([2, 3], -100.515963196), ([5], -117.49712369), ([0, 1], -177.874350686), ([4], -190.821982842));
        Assert.Equal(2, ranking.Groups[1].MergedFrom);
        Assert.Equal(4, ranking.Groups[1].Samples);
    }

    [Fact]
    public void B4_log_beta_terms_are_exact_on_a_one_cell_matrix()
    {
        // One code passing one test: lnB(1+α, 1) twice, lnB(1, 1) = 0 for the empty E1, lnB(1, β₀) for the empty E0.
        var score = B4Ranker.Rank(Matrix([[1]]), 1e4, 1002).Groups[0].Score;
        Assert.Equal(-2 * Math.Log(1003) - Math.Log(1e4), score, 9);
    }
}
