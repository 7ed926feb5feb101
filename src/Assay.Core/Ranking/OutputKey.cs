using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Assay.Core.Ranking;

/// <summary>
/// A canonical text for a returned value in the Python harness's plain-data JSON, such that two values get the
/// same key exactly when Python's `==` says they are equal: True, 1 and 1.0 share a key, a tuple never equals a
/// list, sets and dicts compare regardless of order. An arbitrary object equals nothing and has no key.
/// (NaN gets a key of its own and so equals NaN here, unlike Python; no output-agreement method cares.)
/// </summary>
public static class OutputKey
{
    /// <summary>The key, or null when the value is not plain data.</summary>
    public static string? Of(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var builder = new StringBuilder();
        return Append(builder, JsonNode.Parse(json)) ? builder.ToString() : null;
    }

    private static bool Append(StringBuilder b, JsonNode? node)
    {
        switch (node)
        {
            case null:
                b.Append("None");
                return true;
            case JsonValue v:
                switch (v.GetValueKind())
                {
                    case JsonValueKind.True: b.Append('1'); return true;
                    case JsonValueKind.False: b.Append('0'); return true;
                    case JsonValueKind.String: b.Append(JsonSerializer.Serialize(v.GetValue<string>())); return true;
                    case JsonValueKind.Number: return AppendNumber(b, v.ToJsonString());
                    default: return false;
                }
            case JsonArray list:
                return AppendAll(b, '[', list, ']', sort: false);
            case JsonObject o when o.Count >= 1:
            {
                var (tag, content) = (o.First().Key, o.First().Value);
                switch (tag)
                {
                    case "int":
                        b.Append(BigInteger.Parse(content!.GetValue<string>(), CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                        return true;
                    case "float":
                        b.Append(content!.GetValue<string>());
                        return true;
                    case "tuple":
                        return AppendAll(b, '(', (JsonArray)content!, ')', sort: false);
                    case "set":
                        return AppendAll(b, '{', (JsonArray)content!, '}', sort: true);
                    case "dict":
                    {
                        var entries = new List<string>();
                        foreach (var pair in ((JsonArray)content!).OfType<JsonArray>())
                        {
                            var entry = new StringBuilder();
                            if (!Append(entry, pair[0])) return false;
                            entry.Append(':');
                            if (!Append(entry, pair[1])) return false;
                            entries.Add(entry.ToString());
                        }
                        entries.Sort(StringComparer.Ordinal);
                        b.Append("d{").AppendJoin(',', entries).Append('}');
                        return true;
                    }
                    case "complex":
                    {
                        var parts = (JsonArray)content!;
                        b.Append("c(");
                        if (!Append(b, parts[0])) return false;
                        b.Append(',');
                        if (!Append(b, parts[1])) return false;
                        b.Append(')');
                        return true;
                    }
                    case "bytes":
                        b.Append("b'").Append(content!.GetValue<string>()).Append('\'');
                        return true;
                    default:
                        return false; // {"object": ...}: equal to nothing
                }
            }
            default:
                return false;
        }
    }

    private static bool AppendNumber(StringBuilder b, string raw)
    {
        if (raw.IndexOfAny(['.', 'e', 'E']) < 0 && BigInteger.TryParse(raw, CultureInfo.InvariantCulture, out var integer))
        {
            b.Append(integer.ToString(CultureInfo.InvariantCulture));
            return true;
        }
        var value = double.Parse(raw, CultureInfo.InvariantCulture);
        // An integral float equals the int of the same value (2.0 == 2), so it gets the int's key.
        if (Math.Abs(value) < 1e18 && value == Math.Floor(value)) b.Append(((long)value).ToString(CultureInfo.InvariantCulture));
        else b.Append(value.ToString("R", CultureInfo.InvariantCulture));
        return true;
    }

    private static bool AppendAll(StringBuilder b, char open, JsonArray items, char close, bool sort)
    {
        var keys = new List<string>(items.Count);
        foreach (var item in items)
        {
            var key = new StringBuilder();
            if (!Append(key, item)) return false;
            keys.Add(key.ToString());
        }
        if (sort) keys.Sort(StringComparer.Ordinal);
        b.Append(open).AppendJoin(',', keys).Append(close);
        return true;
    }
}
