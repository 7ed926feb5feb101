using System.Globalization;
using System.Numerics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Assay.Core.Evaluation;

namespace Assay.Core.Problems;

/// <summary>
/// APPS call-based tests (`{"inputs", "outputs", "fn_name"}`), the one builder of their judge for the dataset loader
/// and the server alike. The rule is hendrycks/apps `eval/testing_util.py::run_test` (call-based branch): each input
/// is the argument list of `fn_name(*inputs[i])`, and the result is judged by <see cref="IoOracle.Apps"/>
/// (<see cref="OutputComparison"/>). Its preparation of the JSON is reproduced here, quirks included: JSON forces
/// dictionary keys to be strings, so an expected dictionary whose keys all read as integers becomes a one-element
/// list holding that dictionary with integer keys (`[{int(k): v}]`), as does a list whose first element is such a
/// dictionary (the rest dropped); when the first argument is such a dictionary, it becomes the only argument.
/// </summary>
public static class AppsCallTests
{
    /// <summary>
    /// The judge of these tests, or null with <paramref name="why"/> (naming the offending field) when they are
    /// malformed: inputs and outputs must be lists of the same, non-zero length, each input a list of arguments.
    /// </summary>
    public static IoFunctionJudge? Build(JsonElement inputs, JsonElement outputs, out string why)
    {
        why = "";
        if (inputs.ValueKind != JsonValueKind.Array || outputs.ValueKind != JsonValueKind.Array)
        {
            why = "inputs and outputs must be lists";
            return null;
        }
        var ins = inputs.EnumerateArray().ToList();
        var outs = outputs.EnumerateArray().ToList();
        if (ins.Count != outs.Count || ins.Count == 0)
        {
            why = ins.Count == 0 ? "no tests (inputs is empty)" : $"{ins.Count} inputs but {outs.Count} outputs";
            return null;
        }
        for (var i = 0; i < ins.Count; i++)
        {
            if (ins[i].ValueKind != JsonValueKind.Array)
            {
                why = $"inputs[{i}] must be a list of arguments (a call-based input is `fn_name(*inputs[i])`)";
                return null;
            }
        }
        // Integer-keyed dictionaries need the harness's tagged form (JSON keys are strings); only then are the
        // inputs tagged, so that every other problem's inputs (and content keys) stay the JSON they were given.
        var tagged = ins.Any(i => i.GetArrayLength() > 0 && IntegerKeyed(i[0]) is not null);
        var args = ins.Select(i => tagged ? TaggedArguments(i) : i.GetRawText()).ToList();
        var expected = outs.Select(Expected).ToList();
        return new IoFunctionJudge(args, args.Count, 0, expected, IoOracle.Apps, TaggedInputs: tagged);
    }

    /// <summary>
    /// What a program is called as: APPS calls `Solution().fn_name` when the code holds `class Solution`
    /// (`if "class Solution" not in test`), else the module's `fn_name`.
    /// </summary>
    public static (string EntryPoint, string? Method) Target(string fnName, string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return code.Contains("class Solution", StringComparison.Ordinal) ? ("Solution", fnName) : (fnName, null);
    }

    /// <summary>`if isinstance(inputs[0], dict): inputs = [{int(k): v ...}]`, else the arguments as they are (tagged form).</summary>
    private static string TaggedArguments(JsonElement input)
    {
        if (input.GetArrayLength() > 0 && IntegerKeyed(input[0]) is { } keyed) return new JsonArray(keyed).ToJsonString();
        return OutputComparison.ToPlainData(input);
    }

    /// <summary>The expected value in plain-data form, after APPS's two rewrites of integer-keyed dictionaries.</summary>
    private static string Expected(JsonElement output)
    {
        if (IntegerKeyed(output) is { } keyed) return new JsonArray(keyed).ToJsonString();
        if (output.ValueKind == JsonValueKind.Array && output.GetArrayLength() > 0 && IntegerKeyed(output[0]) is { } first)
            return new JsonArray(first).ToJsonString();
        return OutputComparison.ToPlainData(output);
    }

    /// <summary>
    /// `{int(k): v for k, v in d.items()}` for a JSON object all of whose keys Python's `int` reads (an empty one
    /// included), as the harness's tagged dictionary; null for anything else (where APPS's `try` gives up).
    /// </summary>
    private static JsonObject? IntegerKeyed(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object) return null;
        var keys = new List<BigInteger>();
        var values = new List<JsonNode?>();
        foreach (var property in value.EnumerateObject())
        {
            if (PythonInt(property.Name) is not { } key) return null;
            var plain = JsonNode.Parse(OutputComparison.ToPlainData(property.Value));
            // A later key equal to an earlier one replaces its value, as in a dict comprehension.
            var at = keys.IndexOf(key);
            if (at >= 0) values[at] = plain;
            else
            {
                keys.Add(key);
                values.Add(plain);
            }
        }
        var pairs = keys.Select((k, i) => (JsonNode)new JsonArray(JsonNode.Parse(k.ToString(CultureInfo.InvariantCulture)), values[i])).ToArray();
        return new JsonObject { ["dict"] = new JsonArray(pairs) };
    }

    /// <summary>Python's `int(text)` for ASCII decimal text: surrounding whitespace, a sign, `_` between digits.</summary>
    private static BigInteger? PythonInt(string text)
    {
        var s = PythonText.Strip(text);
        var sign = s.Length > 0 && s[0] is '+' or '-' ? s[0] : '\0';
        var digits = sign == '\0' ? s : s[1..];
        if (digits.Length == 0 || digits[0] == '_' || digits[^1] == '_' || digits.Contains("__", StringComparison.Ordinal)) return null;
        var plain = digits.Replace("_", "", StringComparison.Ordinal);
        if (plain.Any(c => c is < '0' or > '9')) return null;
        var number = BigInteger.Parse(plain, CultureInfo.InvariantCulture);
        return sign == '-' ? -number : number;
    }
}
