using System.Text.Json;
using Assay.Core.Evaluation;
using Assay.Core.Problems;

namespace Assay.Core.Tests.Evaluation;

/// <summary>
/// APPS's call-based rule, hendrycks/apps `eval/testing_util.py::run_test`, case by case. Outputs are the harness's
/// plain-data JSON (tuples tagged); expected values are what <see cref="AppsCallTests"/> makes of the dataset's JSON.
/// </summary>
public sealed class AppsRuleTests
{
    [Theory]
    // `tmp_result = output == in_outs["outputs"][index]`
    [InlineData("[1,2]", "[1,2]", true)]
    [InlineData("1", "[1.0]", true)]                          // Python: 1 == 1.0
    [InlineData("true", "[1]", true)]                         // True == 1
    [InlineData("1.0000001", "[1.0]", false)]                 // floats exactly: no tolerance
    // `if isinstance(output, tuple): output = list(output)`: the result itself, not tuples inside it
    [InlineData("""{"tuple":[1,2]}""", "[1,2]", true)]
    [InlineData("""[{"tuple":[1,2]},{"tuple":[3,4]}]""", "[[1,2],[3,4]]", false)]
    // `if isinstance(expected, list) and expected: tmp_result = tmp_result or (output == expected[0])`
    [InlineData("100", "[100]", true)]
    [InlineData("100", "[100, 1]", true)]                     // any non-empty list, not only a one-element one
    [InlineData("1", "[100, 1]", false)]                      // only the first element
    [InlineData("[]", "[]", true)]
    [InlineData("5", "[]", false)]                            // an empty list has no expected[0]
    // `if isinstance(output[0], tuple): tmp_result = tmp_result or ([list(x) for x in output] == expected[0])`
    [InlineData("""[{"tuple":[1,2]},{"tuple":[3,4]}]""", "[[[1,2],[3,4]]]", true)]
    [InlineData("""{"tuple":[{"tuple":[1,2]}]}""", "[[[1,2]]]", true)]
    [InlineData("""{"tuple":[{"tuple":[1,2]}]}""", "[[1,2]]", false)]
    [InlineData("""[{"tuple":[1]},"ab"]""", """[[[1],["a","b"]]]""", true)] // list("ab") is its characters
    [InlineData("""[{"tuple":[1]},5]""", "[[[1],5]]", false)]                // list(5) raises: the try gives up
    [InlineData("""[[1],{"tuple":[2]}]""", "[[[1],[2]]]", false)]            // only when output[0] is a tuple
    public void Results_are_judged_as_APPS_judges_them(string output, string expected, bool matches) =>
        Assert.Equal(matches, OutputComparison.Matches(output, expected, 0, IoOracle.Apps));

    [Theory]
    // JSON forces dictionary keys to be strings: `in_outs["outputs"][index] = [{int(k): v ...}]` when they all read as integers.
    [InlineData("""{"2": 3}""", """[{"dict":[[2,3]]}]""")]
    [InlineData("""{" -7 ": "x", "1_0": null}""", """[{"dict":[[-7,"x"],[10,null]]}]""")]
    [InlineData("{}", """[{"dict":[]}]""")]
    [InlineData("""[{"2": 3}, 9]""", """[{"dict":[[2,3]]}]""")]         // `expected[0]` a dict: the rest dropped
    [InlineData("""{"a": 1}""", """{"dict":[["a",1]]}""")]              // int("a") raises: left as it is
    [InlineData("""{"1.5": 1}""", """{"dict":[["1.5",1]]}""")]
    [InlineData("[[1, 2], 3]", "[[1,2],3]")]
    public void Expected_outputs_are_prepared_as_APPS_prepares_them(string output, string expected)
    {
        var judge = Build("[[0]]", "[" + output + "]");
        Assert.Equal(expected, Assert.Single(judge.Expected!));
    }

    [Fact]
    public void An_integer_keyed_dictionary_for_an_expected_one_matches_only_with_integer_keys()
    {
        var expected = Assert.Single(Build("[[0]]", """[{"1": "a"}]""").Expected!);
        Assert.True(OutputComparison.Matches("""{"dict":[[1,"a"]]}""", expected, 0, IoOracle.Apps));
        Assert.False(OutputComparison.Matches("""{"dict":[["1","a"]]}""", expected, 0, IoOracle.Apps));
    }

    [Fact]
    public void Inputs_are_argument_lists_and_an_integer_keyed_first_argument_becomes_the_only_one()
    {
        var plain = Build("""[[1, "a"], [{"k": 2}]]""", "[1, 2]");
        Assert.Equal(["""[1, "a"]""", """[{"k": 2}]"""], plain.Inputs); // as given: keys of other problems unchanged
        Assert.False(plain.TaggedInputs);
        Assert.Equal(IoOracle.Apps, plain.Oracle);
        Assert.Equal(2, plain.BaseCount);

        // `if isinstance(inputs[0], dict): inputs = [{int(k): v ...}]`
        var keyed = Build("""[[{"1": "a"}, 2], [{"k": 2}]]""", "[1, 2]");
        Assert.True(keyed.TaggedInputs);
        Assert.Equal(["""[{"dict":[[1,"a"]]}]""", """[{"dict":[["k",2]]}]"""], keyed.Inputs);
    }

    [Theory]
    [InlineData("\"x\"", "[1]", "inputs and outputs must be lists")]
    [InlineData("[[1], 2]", "[1, 2]", "inputs[1] must be a list of arguments")]
    [InlineData("[[1]]", "[1, 2]", "1 inputs but 2 outputs")]
    [InlineData("[]", "[]", "no tests")]
    public void Malformed_tests_say_what_is_wrong(string inputs, string outputs, string message)
    {
        using var i = JsonDocument.Parse(inputs);
        using var o = JsonDocument.Parse(outputs);
        Assert.Null(AppsCallTests.Build(i.RootElement, o.RootElement, out var why));
        Assert.Contains(message, why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_program_holding_class_Solution_is_called_as_Solution_fn_name() // `if "class Solution" not in test`
    {
        Assert.Equal(("Solution", "twoSum"), AppsCallTests.Target("twoSum", "class Solution:\n    def twoSum(self, a): ...\n"));
        Assert.Equal(("two_sum", (string?)null), AppsCallTests.Target("two_sum", "def two_sum(a): ...\n"));
    }

    private static IoFunctionJudge Build(string inputs, string outputs)
    {
        using var i = JsonDocument.Parse(inputs);
        using var o = JsonDocument.Parse(outputs);
        return AppsCallTests.Build(i.RootElement, o.RootElement, out var why) ?? throw new InvalidOperationException(why);
    }
}
