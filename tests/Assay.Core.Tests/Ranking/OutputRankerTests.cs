using Assay.Core.Ranking;

namespace Assay.Core.Tests.Ranking;

/// <summary>MBR-exec, AlphaCode clustering and majority vote over output matrices, and the output keys they compare.</summary>
public sealed class OutputRankerTests
{
    private static ExecutionMatrix Outputs(string?[][] rows, int[]? mult = null) =>
        ExecutionMatrix.FromOutputs(rows.Select(r => (IReadOnlyList<string?>)r).ToList(), mult);

    [Fact]
    public void MBR_exec_worked_example_puts_the_agreeing_pair_first()
    {
        // algorithms.md §2: c1 → 6, c2 → 6, c3 → 5: agreements 2, 2, 1 (ref_impl picks c2 only by log-prob, which samples here lack:
        // the pair is one group, a uniform pick between two programs that behave alike).
        var ranking = MbrExecRanker.Rank(Outputs([["6"], ["6"], ["5"]]));
        Assert.Equal([0, 1], ranking.Groups[0].Members);
        Assert.Equal(2.0, ranking.Groups[0].Score);
        Assert.Equal(1, ranking.TiedAtTop);
        Assert.Equal([2], ranking.Groups[1].Members);
        Assert.Equal(1.0, ranking.Groups[1].Score);
    }

    [Fact]
    public void MBR_exec_records_a_tie_between_different_behaviours()
    {
        var ranking = MbrExecRanker.Rank(Outputs([["6"], ["5"], ["6"], ["5"]]));
        Assert.Equal([0, 1, 2, 3], Assert.Single(ranking.Groups).Members);
        Assert.Equal(2, ranking.TiedAtTop);
    }

    [Fact]
    public void MBR_exec_errors_never_agree_not_even_with_each_other()
    {
        // ref_impl.mbr_exec_select(["6","6","5"], ok=[False, False, True]) selects c3 with agreement 1.
        var ranking = MbrExecRanker.Rank(Outputs([[null], [null], ["5"]]));
        Assert.Equal([2], ranking.Groups[0].Members);
        Assert.Equal(1.0, ranking.Groups[0].Score);
        Assert.Equal(0.0, ranking.Groups[1].Score);
        Assert.Equal([0, 1], ranking.Groups[1].Members);
    }

    [Fact]
    public void MBR_exec_counts_raw_samples_and_the_soft_loss_forgives_one_bad_input()
    {
        // c0 (×1) and c1 (×2) agree on both inputs; c2 (×3) agrees with them on input 0 only, errs on input 1.
        var matrix = Outputs([["1", "2"], ["1", "2"], ["1", null]], [1, 2, 3]);
        var hard = MbrExecRanker.Rank(matrix, MbrLoss.Hard);
        Assert.Equal([0, 1], hard.Groups[0].Members);
        Assert.Equal(3.0, hard.Groups[0].Score);
        Assert.Equal(0.0, hard.Groups[1].Score);
        var soft = MbrExecRanker.Rank(matrix, MbrLoss.Soft);
        // Soft: c0, c1 score (6 + 3)/2 = 4.5; c2 scores (6 + 0)/2 = 3.
        Assert.Equal(4.5, soft.Groups[0].Score, 9);
        Assert.Equal(3.0, soft.Groups[1].Score, 9);
    }

    [Fact]
    public void AlphaCode_worked_example_filters_clusters_and_picks_round_robin()
    {
        // algorithms.md §3: filter [T,T,T,F,T], signatures [a,a,b,a,c], budget 4 → picks 1, 3, 5, 2 (0-based 0, 2, 4, 1).
        var matrix = Outputs([["\"a\""], ["\"a\""], ["\"b\""], ["\"a\""], ["\"c\""]]);
        bool[] filter = [true, true, true, false, true];
        Assert.Equal([0, 2, 4, 1], ClusterRanker.Select(matrix, filter, budget: 4));

        var ranking = ClusterRanker.Rank(matrix, filter);
        Assert.Equal([3], ranking.Unranked);
        Assert.Equal([0, 1], ranking.Groups[0].Members);
        // b and c are both of size 1: merged, and the merge is recorded.
        Assert.Equal([2, 4], ranking.Groups[1].Members);
        Assert.Equal(2, ranking.Groups[1].MergedFrom);
    }

    [Fact]
    public void Clustering_keeps_errors_as_behaviour_but_drops_all_error_clusters()
    {
        var matrix = Outputs([["1", null], ["1", null], [null, null], ["2", "3"]]);
        var ranking = ClusterRanker.Rank(matrix);
        Assert.Equal([0, 1], ranking.Groups[0].Members);
        Assert.Equal([3], ranking.Groups[1].Members);
        Assert.Equal([2], ranking.Unranked);
        var keep = ClusterRanker.Rank(matrix, dropAllErrorClusters: false);
        Assert.Empty(keep.Unranked);
        Assert.Equal([2, 3], keep.Groups[1].Members);
    }

    [Fact]
    public void Majority_vote_scores_inputs_won_and_records_tied_majorities()
    {
        // Input 0: "1" ×3 beats "2" ×1. Input 1: "5" ×2 ties "6" ×2.
        var matrix = Outputs([["1", "5"], ["1", "6"], ["2", "5"], ["1", "6"]]);
        var ranking = MajorityVoteRanker.Rank(matrix);
        Assert.Equal([0, 1, 3], ranking.Groups[0].Members);
        Assert.Equal(2.0, ranking.Groups[0].Score);
        Assert.Equal([2], ranking.Groups[1].Members);
        Assert.Equal("1", ranking.Parameters["inputs_with_tied_majority"]);
    }

    [Theory]
    [InlineData("1", "true")]
    [InlineData("1", "1.0")]
    [InlineData("{\"int\":\"123456789012345678901234567890\"}", "123456789012345678901234567890")]
    [InlineData("{\"set\":[1,2]}", "{\"set\":[2,1]}")]
    [InlineData("{\"dict\":[[\"a\",1],[\"b\",2]]}", "{\"dict\":[[\"b\",2],[\"a\",1.0]]}")]
    [InlineData("[1,[2,\"x\"]]", "[1.0,[2,\"x\"]]")]
    public void Output_keys_are_equal_where_python_says_equal(string a, string b) =>
        Assert.Equal(OutputKey.Of(a), OutputKey.Of(b));

    [Theory]
    [InlineData("[1,2]", "{\"tuple\":[1,2]}")]
    [InlineData("1", "\"1\"")]
    [InlineData("1.5", "1")]
    [InlineData("null", "0")]
    [InlineData("[\"a,b\"]", "[\"a\",\"b\"]")]
    public void Output_keys_differ_where_python_says_different(string a, string b) =>
        Assert.NotEqual(OutputKey.Of(a), OutputKey.Of(b));

    [Fact]
    public void An_arbitrary_object_has_no_key()
    {
        Assert.Null(OutputKey.Of("{\"object\":\"m.C\",\"repr\":\"<C>\"}"));
        Assert.Null(OutputKey.Of("[1,{\"object\":\"m.C\",\"repr\":\"<C>\"}]"));
    }
}
