using System.Text.Json;
using System.Text.Json.Nodes;
using Assay.Core.Problems;

namespace Assay.Core.Evaluation;

/// <summary>The oracles besides plain equality: EvalPlus's special cases and APPS's call-based rule.</summary>
public static partial class OutputComparison
{
    /// <summary>
    /// Judges one output (plain-data JSON) against the expected one under <paramref name="oracle"/>;
    /// <paramref name="inputJson"/> (the call's argument list) is needed by <see cref="IoOracle.PolynomialRoot"/>.
    /// </summary>
    public static bool Matches(string? outputJson, string? expectedJson, double atol, IoOracle oracle, string? inputJson = null)
    {
        switch (oracle)
        {
            case IoOracle.Equal:
            case IoOracle.NotNone: // the harness reports `result is not None` for these; the reference's answer is the expected one
                return Matches(outputJson, expectedJson, atol);
            case IoOracle.AnyResult:
                return outputJson is not null;
            case IoOracle.EqualOrZero:
                return Matches(outputJson, expectedJson, atol) || (outputJson is not null && IsZero(JsonNode.Parse(outputJson)));
            case IoOracle.SetEqual:
                return outputJson is not null && expectedJson is not null
                    && (Matches(outputJson, expectedJson, atol) || SetsEqual(JsonNode.Parse(outputJson), JsonNode.Parse(expectedJson), atol));
            case IoOracle.PolynomialRoot:
                return outputJson is not null && inputJson is not null && IsRoot(JsonNode.Parse(inputJson), JsonNode.Parse(outputJson), atol);
            case IoOracle.Apps:
                return outputJson is not null && expectedJson is not null && AppsEqual(JsonNode.Parse(outputJson), JsonNode.Parse(expectedJson));
            case IoOracle.ExactListsForTuples:
                return outputJson is not null && expectedJson is not null
                    && Equal(TuplesToLists(JsonNode.Parse(outputJson)), TuplesToLists(JsonNode.Parse(expectedJson)), null);
            default:
                throw new ArgumentOutOfRangeException(nameof(oracle), oracle, null);
        }
    }

    private static bool IsZero(JsonNode? node) => node is not null && IsNumber(node) && Number(node) is var (i, f, isFloat) && (isFloat ? f == 0 : i.IsZero);

    /// <summary>Elements of a list, tuple or set; null for anything else.</summary>
    private static JsonArray? Elements(JsonNode? node) => node switch
    {
        JsonArray a => a,
        JsonObject o when o["tuple"] is JsonArray t => t,
        JsonObject o when o["set"] is JsonArray s => s,
        _ => null,
    };

    /// <summary>EvalPlus's `set(out) == set(exp)`: every element of each has an equal element in the other.</summary>
    private static bool SetsEqual(JsonNode? output, JsonNode? expected, double atol)
    {
        if (Elements(output) is not { } a || Elements(expected) is not { } b) return false;
        double? tolerance = atol > 0 ? atol : null;
        return a.All(x => b.Any(y => Equal(x, y, tolerance))) && b.All(y => a.Any(x => Equal(x, y, tolerance)));
    }

    /// <summary>HumanEval/32: |Σ xs[i]·x^i| ≤ atol (1e-6 when the problem gives none), xs being the first argument.</summary>
    private static bool IsRoot(JsonNode? input, JsonNode? output, double atol)
    {
        if (input is not JsonArray args || args.Count == 0 || Elements(args[0]) is not { } coefficients) return false;
        if (output is null || !IsNumber(output)) return false;
        var x = Number(output).Float;
        double sum = 0;
        for (var i = 0; i < coefficients.Count; i++)
        {
            if (coefficients[i] is not { } c || !IsNumber(c)) return false;
            sum += Number(c).Float * Math.Pow(x, i);
        }
        return double.IsFinite(sum) && Math.Abs(sum) <= (atol > 0 ? atol : DefaultFloatAtol);
    }

    /// <summary>
    /// APPS's call-based rule, hendrycks/apps `eval/testing_util.py::run_test`, step by step:
    /// `if isinstance(output, tuple): output = list(output)` (the result itself only, not tuples inside it);
    /// `tmp_result = output == in_outs["outputs"][index]`; `if isinstance(expected, list) and expected:
    /// tmp_result = tmp_result or (output == expected[0])` (APPS wraps many expected values in a list: any
    /// non-empty list, not only a one-element one); then `if isinstance(output[0], tuple): tmp_result = tmp_result
    /// or ([list(x) for x in output] == expected[0])`, inside a `try` that gives up silently. `==` is Python's on
    /// plain data: 1 == 1.0 == True, floats exactly, a tuple never equal to a list.
    /// </summary>
    private static bool AppsEqual(JsonNode? output, JsonNode? expected)
    {
        if (output is JsonObject o && o["tuple"] is JsonArray tuple) output = new JsonArray([.. tuple.Select(n => n?.DeepClone())]);
        if (Equal(output, expected, null)) return true;
        var first = expected is JsonArray { Count: > 0 } list ? list[0] : null;
        if (first is not null && Equal(output, first, null)) return true;
        return first is not null && output is JsonArray { Count: > 0 } items && items[0] is JsonObject head && head["tuple"] is JsonArray
            && ListEach(items) is { } listed && Equal(listed, first, null);
    }

    /// <summary>`[list(x) for x in output]`; null where `list(x)` raises (a number, None, an object) and for a set,
    /// whose order would be Python's own.</summary>
    private static JsonArray? ListEach(JsonArray items)
    {
        var result = new JsonArray();
        foreach (var item in items)
        {
            JsonNode? listed = item switch
            {
                JsonArray a => a.DeepClone(),
                JsonObject t when t["tuple"] is JsonArray e => new JsonArray([.. e.Select(n => n?.DeepClone())]),
                JsonObject d when d["dict"] is JsonArray pairs => new JsonArray([.. pairs.Select(p => (p as JsonArray)?[0]?.DeepClone())]),
                JsonValue v when v.GetValueKind() == JsonValueKind.String =>
                    new JsonArray([.. v.GetValue<string>().EnumerateRunes().Select(r => (JsonNode)JsonValue.Create(r.ToString()))]),
                _ => null,
            };
            if (listed is null) return null;
            result.Add(listed);
        }
        return result;
    }

    private static JsonNode? TuplesToLists(JsonNode? node) => node switch
    {
        JsonArray a => new JsonArray([.. a.Select(n => TuplesToLists(n))]),
        JsonObject o when o["tuple"] is JsonArray t => new JsonArray([.. t.Select(n => TuplesToLists(n))]),
        _ => node?.DeepClone(),
    };

    /// <summary>
    /// A dataset's JSON value (APPS's expected outputs) in the harness's plain-data form: objects become
    /// `{"dict": [[key, value], ...]}`, so they compare with the dictionaries a program returns.
    /// </summary>
    public static string ToPlainData(JsonElement value) => ToPlainNode(value)?.ToJsonString() ?? "null";

    private static JsonNode? ToPlainNode(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => new JsonObject
        {
            ["dict"] = new JsonArray([.. value.EnumerateObject().Select(p => (JsonNode)new JsonArray(JsonValue.Create(p.Name), ToPlainNode(p.Value)))]),
        },
        JsonValueKind.Array => new JsonArray([.. value.EnumerateArray().Select(ToPlainNode)]),
        _ => JsonNode.Parse(value.GetRawText()),
    };
}
