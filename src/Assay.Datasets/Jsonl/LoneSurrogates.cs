namespace Assay.Datasets.Jsonl;

/// <summary>Lone UTF-16 surrogate escapes in JSON text, which every reader of model output meets (files and request bodies alike).</summary>
public static class LoneSurrogates
{
    /// <summary>
    /// Python's json.dumps writes a lone surrogate (broken model output) as the escape `\ud800`, which JSON
    /// parsers accept and no UTF-16 string can hold: each such escape becomes `\ufffd`, as Python's
    /// errors="replace" would; a proper high-low pair is kept.
    /// </summary>
    public static string Repair(string line, out int repaired)
    {
        repaired = 0;
        if (!line.Contains("\\u", StringComparison.Ordinal)) return line;
        System.Text.StringBuilder? result = null;
        var copiedUpTo = 0;
        for (var i = 0; i < line.Length - 1; i++)
        {
            if (line[i] != '\\') continue;
            if (line[i + 1] != 'u' || !TryHex(line, i + 2, out var unit))
            {
                i++; // an escaped character (`\\` included): skip it whole
                continue;
            }
            if (char.IsHighSurrogate((char)unit) && i + 7 < line.Length && line[i + 6] == '\\' && line[i + 7] == 'u'
                && TryHex(line, i + 8, out var low) && char.IsLowSurrogate((char)low))
            {
                i += 11;
                continue;
            }
            if (char.IsSurrogate((char)unit))
            {
                result ??= new System.Text.StringBuilder(line.Length);
                result.Append(line, copiedUpTo, i - copiedUpTo).Append("\\ufffd");
                copiedUpTo = i + 6;
                repaired++;
            }
            i += 5;
        }
        return result is null ? line : result.Append(line, copiedUpTo, line.Length - copiedUpTo).ToString();
    }

    private static bool TryHex(string line, int at, out int value)
    {
        value = 0;
        return at + 4 <= line.Length
            && int.TryParse(line.AsSpan(at, 4), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out value);
    }
}
