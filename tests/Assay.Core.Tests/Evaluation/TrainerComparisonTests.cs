using Assay.Core.Evaluation;
using Assay.Core.Problems;

namespace Assay.Core.Tests.Evaluation;

/// <summary>
/// The trainers' own stdout comparisons, each row worked out from the trainer's published code (cited per
/// rule), including the cases where that code is stricter or looser than Assay's own rules.
/// </summary>
public sealed class TrainerComparisonTests
{
    private static bool Matches(string actual, string expected, OutputMatch rule) => StdoutComparison.Compare(actual, expected, rule).Matches;

    /// <summary>verl `reward_score/sandbox_fusion/utils.py::_process_single_case`: `stdout.rstrip("\n") == expected.rstrip("\n")`.</summary>
    [Theory]
    [InlineData("3\n", "3", true)]
    [InlineData("3", "3\n\n", true)]
    [InlineData("1\n2\n", "1\n2", true)]
    [InlineData("3\r\n", "3\n", false)]   // rstrip("\n") leaves the \r
    [InlineData("3 \n", "3\n", false)]    // a trailing space counts
    [InlineData("\n3\n", "3\n", false)]   // so does a leading blank line
    [InlineData(" 3", "3", false)]
    [InlineData("1 2", "1  2", false)]
    public void Verl_compares_exactly_up_to_trailing_newlines(string actual, string expected, bool matches) =>
        Assert.Equal(matches, Matches(actual, expected, OutputMatch.ExactUpToTrailingNewlines));

    /// <summary>NeMo-RL `environments/code_test_environment.py::run_single_test`: `stdout.strip() == expected.strip()` (text-mode pipe).</summary>
    [Theory]
    [InlineData("3\r\n4\r\n", "3\n4", true)]   // the text-mode pipe turns \r\n into \n
    [InlineData("  3\n4\n\n", "3\n4", true)]
    [InlineData("\u001c3", "3", true)]          // Python's strip() removes U+001C too
    [InlineData("3 \n4", "3\n4", false)]        // whitespace inside is kept
    [InlineData("3\n4", "3 4", false)]
    public void Nemo_rl_compares_stripped_text(string actual, string expected, bool matches) =>
        Assert.Equal(matches, Matches(actual, expected, OutputMatch.StrippedEqual));

    /// <summary>open-r1 `rewards.py::code_reward` (evaluation script): stripped output, `zip` of lines, each pair equal after `strip()`.</summary>
    [Theory]
    [InlineData("1\n2\n", "1\n2\n3\n", true)]     // too few lines: zip stops at the shorter side
    [InlineData("1\n2\n3\n4\n", "1\n2", true)]     // too many lines
    [InlineData(" 1 \n 2 ", "1\n2", true)]
    [InlineData("1\r\n2\r\n", "1\n2", true)]
    [InlineData("", "\nx", true)]                  // empty output, first expected line empty
    [InlineData("", "x", false)]
    [InlineData("1 2\n", "1\n2\n", false)]
    [InlineData("1\n\n2", "1\n2", false)]          // blank lines are lines
    public void Open_r1_compares_the_lines_zip_pairs(string actual, string expected, bool matches) =>
        Assert.Equal(matches, Matches(actual, expected, OutputMatch.StrippedLinePrefix));

    /// <summary>rllm/DeepCoder `rewards/code_utils/taco.py::compare_std_results` on a string output.</summary>
    [Theory]
    [InlineData("1.000001\n", "1.0\n", true)]      // numbers within numpy's isclose
    [InlineData("1.1\n", "1.0\n", false)]
    [InlineData("1e3\n", "1000\n", true)]
    [InlineData("1_000\n", "1000\n", true)]         // Python's float() takes underscores
    [InlineData("3\n\n4\n", "3\n4", true)]          // blank lines dropped
    [InlineData("a\r\nb\r\n", "a\nb", true)]
    [InlineData("YES\n", "NO\n", true)]             // differing words are not compared at all (`except: pass`)
    [InlineData("x y", "y x", true)]
    [InlineData("YES NO\n", "YES\n", false)]        // but the number of tokens is
    [InlineData("1 2 3", "1 2 4", false)]
    [InlineData("12", "1\n2", true)]               // the output's characters read as numbers, one per expected line
    [InlineData("102", "0.9999999999\n0\n2", true)]
    [InlineData("12", "3", false)]
    [InlineData("3 4\n", "3\n4", true)]            // sets of tokens against sets of each line's tokens
    [InlineData("ab", "a b", true)]                 // a token's characters as a set
    [InlineData("21", "1 2", true)]
    [InlineData("5 5", "5", true)]
    [InlineData("nan\n", "nan\n", true)]            // equal text comes first
    [InlineData("", "\n", true)]
    public void Deepcoder_taco_rule_is_reproduced_with_its_quirks(string actual, string expected, bool matches) =>
        Assert.Equal(matches, Matches(actual, expected, OutputMatch.TacoLenient));

    [Fact]
    public void Only_the_taco_rule_judges_the_output_of_a_run_that_failed()
    {
        Assert.True(StdoutComparison.JudgesOutputOfFailedRuns(OutputMatch.TacoLenient));
        Assert.All(Enum.GetValues<OutputMatch>().Where(r => r != OutputMatch.TacoLenient),
            rule => Assert.False(StdoutComparison.JudgesOutputOfFailedRuns(rule)));
    }

    [Theory]
    [InlineData(" 1.5 ", 1.5)]
    [InlineData("+1_000.25", 1000.25)]
    [InlineData("-Infinity", double.NegativeInfinity)]
    [InlineData("1.", 1.0)]
    [InlineData(".5e1", 5.0)]
    [InlineData("\u0661\u0662", 12.0)]   // Arabic-Indic digits are decimal digits to Python
    [InlineData("1e400", double.PositiveInfinity)]
    public void Python_floats_parse_as_float_does(string text, double value)
    {
        Assert.True(PythonText.TryParseFloat(text, out var parsed));
        Assert.Equal(value, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("1__0")]
    [InlineData("_1")]
    [InlineData("1_")]
    [InlineData("1e")]
    [InlineData("0x10")]
    [InlineData("1,5")]
    [InlineData("infinit")]
    public void Python_float_refuses_what_float_refuses(string text) => Assert.False(PythonText.TryParseFloat(text, out _));

    [Theory]
    [InlineData(0.0625, 0.062)]     // an exact tie goes to even, as Python's round does
    [InlineData(0.1875, 0.188)]
    [InlineData(2.675, 2.675)]      // 2.675 is stored as 2.67499999...; three decimals keep it
    [InlineData(1.0005, 1.0)]       // stored below the tie
    [InlineData(-0.0625, -0.062)]
    [InlineData(123456.78951, 123456.79)]
    public void Round_to_three_decimals_as_python_rounds(double x, double expected) => Assert.Equal(expected, PythonText.Round3(x));
}
