using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Assay.Core.Evaluation;

/// <summary>
/// Compares a function's output with the expected one, both in the plain-data JSON the Python harness writes
/// (tagged `tuple`, `set`, `dict`, `int`, `float`, `complex`, `bytes`; an `object` never matches). The rule
/// follows EvalPlus: equal as Python's `==` would say for plain data (1 == 1.0 == True), and otherwise, when
/// a tolerance applies, floats within `atol + 1e-7·|expected|` (numpy's allclose) with sequences of equal
/// length and the same container types. EvalPlus forces atol to 1e-6 when it is 0 but the expected value
/// contains floats; so does this.
/// </summary>
public static partial class OutputComparison
{
    private const double DefaultFloatAtol = 1e-6;
    private const double Rtol = 1e-7;

    public static bool Matches(string? outputJson, string? expectedJson, double atol)
    {
        if (outputJson is null || expectedJson is null) return false;
        var output = JsonNode.Parse(outputJson);
        var expected = JsonNode.Parse(expectedJson);
        if (Equal(output, expected, tolerance: null)) return true;
        var effective = atol == 0 && ContainsFloat(expected) ? DefaultFloatAtol : atol;
        return effective > 0 && Equal(output, expected, effective);
    }

    private static bool Equal(JsonNode? a, JsonNode? b, double? tolerance)
    {
        if (a is null || b is null) return a is null && b is null;
        if (IsNumber(a) && IsNumber(b)) return NumbersEqual(a, b, tolerance);
        if (a is JsonValue va && b is JsonValue vb)
        {
            if (va.GetValueKind() == JsonValueKind.String && vb.GetValueKind() == JsonValueKind.String)
                return va.GetValue<string>() == vb.GetValue<string>();
            return false;
        }
        if (a is JsonArray la && b is JsonArray lb) return SequenceEqual(la, lb, tolerance);
        if (a is JsonObject oa && b is JsonObject ob)
        {
            var ta = Tag(oa);
            var tb = Tag(ob);
            if (ta != tb || ta is null) return false;
            return ta switch
            {
                "tuple" => SequenceEqual((JsonArray)oa["tuple"]!, (JsonArray)ob["tuple"]!, tolerance),
                "set" => SetEqual((JsonArray)oa["set"]!, (JsonArray)ob["set"]!, tolerance),
                "dict" => DictEqual((JsonArray)oa["dict"]!, (JsonArray)ob["dict"]!, tolerance),
                "complex" => SequenceEqual((JsonArray)oa["complex"]!, (JsonArray)ob["complex"]!, tolerance),
                "bytes" => oa["bytes"]!.GetValue<string>() == ob["bytes"]!.GetValue<string>(),
                _ => false, // an arbitrary object is never equal to anything
            };
        }
        return false;
    }

    private static string? Tag(JsonObject o) => o.Count >= 1 ? o.First().Key switch
    {
        "int" or "float" => "number",
        var key => key,
    } : null;

    private static bool IsNumber(JsonNode n) => n switch
    {
        JsonValue v => v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False,
        JsonObject o => o.ContainsKey("int") || o.ContainsKey("float"),
        _ => false,
    };

    private static bool NumbersEqual(JsonNode a, JsonNode b, double? tolerance)
    {
        var (ia, fa, aIsFloat) = Number(a);
        var (ib, fb, bIsFloat) = Number(b);
        if (!aIsFloat && !bIsFloat) return ia == ib;
        if (double.IsNaN(fa) || double.IsNaN(fb)) return false; // nan == nan is False in Python and in allclose
        if (fa == fb) return true;
        // With a tolerance EvalPlus also requires the same type (a float for a float).
        if (tolerance is not { } atol || aIsFloat != bIsFloat) return false;
        return Math.Abs(fa - fb) <= atol + Rtol * Math.Abs(fb);
    }

    /// <summary>(integer value, double value, is a float); bools are the integers 0 and 1, as in Python.</summary>
    private static (System.Numerics.BigInteger Integer, double Float, bool IsFloat) Number(JsonNode n)
    {
        if (n is JsonObject o)
        {
            if (o["int"] is JsonNode i)
            {
                var big = System.Numerics.BigInteger.Parse(i.GetValue<string>(), CultureInfo.InvariantCulture);
                return (big, (double)big, false);
            }
            var text = o["float"]!.GetValue<string>();
            var f = text switch { "nan" => double.NaN, "inf" => double.PositiveInfinity, _ => double.NegativeInfinity };
            return (default, f, true);
        }
        var v = (JsonValue)n;
        switch (v.GetValueKind())
        {
            case JsonValueKind.True: return (1, 1, false);
            case JsonValueKind.False: return (0, 0, false);
        }
        var raw = v.ToJsonString();
        if (raw.IndexOfAny(['.', 'e', 'E']) < 0 && System.Numerics.BigInteger.TryParse(raw, CultureInfo.InvariantCulture, out var integer))
            return (integer, (double)integer, false);
        return (default, double.Parse(raw, CultureInfo.InvariantCulture), true);
    }

    private static bool SequenceEqual(JsonArray a, JsonArray b, double? tolerance)
    {
        if (a.Count != b.Count) return false;
        for (var i = 0; i < a.Count; i++)
        {
            if (!Equal(a[i], b[i], tolerance)) return false;
        }
        return true;
    }

    /// <summary>Sets: every element of one has an equal element in the other (sizes equal).</summary>
    private static bool SetEqual(JsonArray a, JsonArray b, double? tolerance)
    {
        if (a.Count != b.Count) return false;
        var used = new bool[b.Count];
        foreach (var x in a)
        {
            var found = false;
            for (var j = 0; j < b.Count && !found; j++)
            {
                if (!used[j] && Equal(x, b[j], tolerance)) used[j] = found = true;
            }
            if (!found) return false;
        }
        return true;
    }

    private static bool DictEqual(JsonArray a, JsonArray b, double? tolerance)
    {
        if (a.Count != b.Count) return false;
        foreach (var pair in a.OfType<JsonArray>())
        {
            var match = b.OfType<JsonArray>().FirstOrDefault(p => Equal(p[0], pair[0], null));
            if (match is null || !Equal(pair[1], match[1], tolerance)) return false;
        }
        return true;
    }

    private static bool ContainsFloat(JsonNode? n) => n switch
    {
        JsonValue v => v.GetValueKind() == JsonValueKind.Number && v.ToJsonString().IndexOfAny(['.', 'e', 'E']) >= 0,
        JsonObject o when o.ContainsKey("float") => true,
        JsonObject o when o.ContainsKey("tuple") => ContainsFloat(o["tuple"]),
        JsonArray a => a.Any(ContainsFloat),
        _ => false,
    };
}
