using Assay.Core.Evaluation;
using Assay.Core.Problems;

namespace Assay.Core.Tests.Evaluation;

/// <summary>Outputs are the harness's plain-data JSON (tuples, sets and dicts tagged).</summary>
public sealed class IoOracleTests
{
    [Theory]
    [InlineData("""{"tuple":["b","a"]}""", """{"tuple":["a","b"]}""", true)]
    [InlineData("""["b","a","a"]""", """{"tuple":["a","b"]}""", true)] // set(out) == set(exp)
    [InlineData("""{"tuple":["a","c"]}""", """{"tuple":["a","b"]}""", false)]
    [InlineData("3", """{"tuple":["a"]}""", false)]
    public void SetEqual_ignores_order(string output, string expected, bool matches) =>
        Assert.Equal(matches, OutputComparison.Matches(output, expected, 0, IoOracle.SetEqual));

    [Theory]
    [InlineData("""{"tuple":[1,2]}""", "[1,2]", true)]
    [InlineData("1", "[1]", false)]
    [InlineData("0.30000000000000004", "0.3", false)]
    public void LiveCodeBench_is_exact_after_tuples_become_lists(string output, string expected, bool matches) =>
        Assert.Equal(matches, OutputComparison.Matches(output, expected, 0, IoOracle.ExactListsForTuples));

    [Theory]
    [InlineData("[[-6, 11, -6, 1]]", "1.0000000001", true)]  // (x-1)(x-2)(x-3)
    [InlineData("[[-6, 11, -6, 1]]", "2.0", true)]
    [InlineData("[[-6, 11, -6, 1]]", "1.5", false)]
    [InlineData("[[-6, 11, -6, 1]]", "\"1\"", false)]
    public void PolynomialRoot_checks_the_polynomial_not_the_reference(string input, string output, bool matches) =>
        Assert.Equal(matches, OutputComparison.Matches(output, "99.0", 0, IoOracle.PolynomialRoot, input));

    [Fact]
    public void The_other_special_oracles()
    {
        Assert.True(OutputComparison.Matches("0", "7", 0, IoOracle.EqualOrZero));
        Assert.True(OutputComparison.Matches("7", "7", 0, IoOracle.EqualOrZero));
        Assert.False(OutputComparison.Matches("6", "7", 0, IoOracle.EqualOrZero));
        Assert.True(OutputComparison.Matches("false", "true", 0, IoOracle.AnyResult));
        Assert.False(OutputComparison.Matches(null, "true", 0, IoOracle.AnyResult));
        Assert.False(OutputComparison.Matches("false", "true", 0, IoOracle.NotNone));
    }
}
