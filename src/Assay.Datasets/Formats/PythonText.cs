using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Assay.Datasets.Formats;

/// <summary>
/// What Python's `str()` prints for a JSON value: the expected stdout of a program that prints a function's
/// result (MapCoder's APPS file turns call-based problems into stdin/stdout ones this way).
/// </summary>
internal static class PythonText
{
    public static string Str(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : Repr(value);

    private static string Repr(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => ReprString(value.GetString()!),
        JsonValueKind.True => "True",
        JsonValueKind.False => "False",
        JsonValueKind.Null => "None",
        JsonValueKind.Number => ReprNumber(value.GetRawText()),
        JsonValueKind.Array => "[" + string.Join(", ", value.EnumerateArray().Select(Repr)) + "]",
        JsonValueKind.Object => "{" + string.Join(", ", value.EnumerateObject().Select(p => ReprString(p.Name) + ": " + Repr(p.Value))) + "}",
        _ => value.GetRawText(),
    };

    /// <summary>Integers as written; floats as Python's shortest repr (`4.0`, `1e-05`, `1e+16`).</summary>
    private static string ReprNumber(string raw)
    {
        if (raw.IndexOfAny(['.', 'e', 'E']) < 0) return raw.TrimStart('+');
        var d = double.Parse(raw, CultureInfo.InvariantCulture);
        if (double.IsInfinity(d)) return d > 0 ? "inf" : "-inf";
        var exponent = d == 0 ? 0 : (int)Math.Floor(Math.Log10(Math.Abs(d)));
        var shortest = d.ToString("R", CultureInfo.InvariantCulture);
        if (exponent is < -4 or >= 16)
        {
            var e = d.ToString("E16", CultureInfo.InvariantCulture); // normalise, then trim the mantissa
            var mantissa = double.Parse(e[..e.IndexOf('E')], CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture);
            var power = int.Parse(e[(e.IndexOf('E') + 1)..], CultureInfo.InvariantCulture);
            // A mantissa of 10 after rounding moves into the exponent.
            if (mantissa is "10" or "-10") { mantissa = mantissa[..^1]; power++; }
            return $"{mantissa}e{(power < 0 ? "-" : "+")}{Math.Abs(power):00}";
        }
        if (shortest.Contains('E', StringComparison.Ordinal))
            shortest = d.ToString("F" + Math.Max(0, -exponent + 16).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).TrimEnd('0');
        if (shortest.EndsWith('.')) shortest += "0";
        return shortest.Contains('.', StringComparison.Ordinal) ? shortest : shortest + ".0";
    }

    /// <summary>Python's repr of a str: single quotes unless the text has one and no double quote.</summary>
    private static string ReprString(string text)
    {
        var quote = text.Contains('\'', StringComparison.Ordinal) && !text.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var builder = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var rune in text.EnumerateRunes())
        {
            var c = rune.Value;
            if (c == '\\') builder.Append("\\\\");
            else if (c == quote) builder.Append('\\').Append(quote);
            else if (c == '\n') builder.Append("\\n");
            else if (c == '\r') builder.Append("\\r");
            else if (c == '\t') builder.Append("\\t");
            else if (c < 0x20 || c == 0x7f) builder.Append("\\x").Append(c.ToString("x2", CultureInfo.InvariantCulture));
            else builder.Append(rune.ToString());
        }
        return builder.Append(quote).ToString();
    }
}
