using Assay.Core.Evaluation;
using Assay.Core.Problems;

namespace Assay.Core.Tests.Evaluation;

public sealed class StdoutComparisonTests
{
    [Theory]
    [InlineData("3\n", "3\n", true)]
    [InlineData("3", "3\n", true)]          // whitespace at the very end does not matter
    [InlineData("3\r\n4\r\n", "3\n4\n", true)] // nor Windows line endings
    [InlineData("3 \n4\n", "3\n4\n", false)] // but spaces inside the output do
    [InlineData("3\n\n4", "3\n4", false)]
    [InlineData("4\n", "3\n", false)]
    public void Exact_compares_text_up_to_the_end_of_output(string actual, string expected, bool matches) =>
        Assert.Equal(matches, StdoutComparison.Compare(actual, expected, OutputMatch.Exact).Matches);

    [Theory]
    [InlineData("1 2\n3", "1\n2 3\n", true)]
    [InlineData("  1\t2  3  ", "1 2 3", true)]
    [InlineData("1 2", "1 2 3", false)]
    [InlineData("1.0", "1", false)]  // tokens are text
    [InlineData("YES", "yes", false)]
    public void Tokens_ignore_how_whitespace_is_laid_out(string actual, string expected, bool matches) =>
        Assert.Equal(matches, StdoutComparison.Compare(actual, expected, OutputMatch.Tokens).Matches);

    [Theory]
    [InlineData("1.0", "1", 0, true)]
    [InlineData("1.000", "1.0", 0, true)]
    [InlineData("-0", "0.0", 0, true)]
    [InlineData("1e3", "1000", 0, true)]
    [InlineData("0.3333333", "0.33333333", 0, false)]   // no tolerance: exact decimals
    [InlineData("0.3333333", "0.33333333", 1e-6, true)]
    [InlineData("0.333", "0.33333333", 1e-6, false)]
    [InlineData("1000000.5", "1000000.0", 1e-6, true)]   // relative to the expected number
    [InlineData("50000000000000001", "50000000000000000", 1e-6, false)] // integers are exact whatever the tolerance
    [InlineData("abc", "abc", 1e-6, true)]
    [InlineData("abc", "abd", 1e-6, false)]
    [InlineData("nan", "nan", 1e-6, true)] // equal text
    [InlineData("inf", "1e999", 1e-6, false)]
    public void Numeric_compares_numbers_as_numbers(string actual, string expected, double tolerance, bool matches) =>
        Assert.Equal(matches, StdoutComparison.Compare(actual, expected, OutputMatch.Numeric, tolerance).Matches);

    [Fact]
    public void A_difference_says_where_it_is()
    {
        var (matches, difference) = StdoutComparison.Compare("1 2 4", "1 2 3", OutputMatch.Tokens);
        Assert.False(matches);
        Assert.Equal("token 3: expected `3`, got `4`", difference);
        Assert.Equal("expected 3 tokens, got 2", StdoutComparison.Compare("1 2", "1 2 3", OutputMatch.Numeric).Difference);
        Assert.Contains("line 2", StdoutComparison.Compare("a\nb", "a\nc", OutputMatch.Exact).Difference, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checker_rule_is_not_a_text_comparison() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => StdoutComparison.Compare("1", "1", OutputMatch.Checker));
}
