using System.Globalization;
using System.Numerics;
using Assay.Core.Problems;

namespace Assay.Core.Evaluation;

/// <summary>
/// Compares a program's standard output with the expected output under one <see cref="OutputMatch"/> rule.
/// Pure functions: the stdin/stdout judge calls them outside the sandbox on the captured output.
/// </summary>
public static partial class StdoutComparison
{
    /// <summary>
    /// True when <paramref name="actual"/> matches <paramref name="expected"/>; otherwise false with a short
    /// description of the first difference (for the verdict's error message).
    /// </summary>
    public static (bool Matches, string? Difference) Compare(string actual, string expected, OutputMatch rule, double tolerance = 0)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        return rule switch
        {
            OutputMatch.Exact => CompareExact(actual, expected),
            OutputMatch.Tokens => CompareTokens(actual, expected, numeric: false, tolerance),
            OutputMatch.Numeric => CompareTokens(actual, expected, numeric: true, tolerance),
            OutputMatch.ExactUpToTrailingNewlines => CompareUpToTrailingNewlines(actual, expected),
            OutputMatch.StrippedEqual => CompareStripped(actual, expected),
            OutputMatch.StrippedLinePrefix => CompareLinePrefix(actual, expected),
            OutputMatch.TacoLenient => CompareTaco(actual, expected),
            _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, "a checker's verdict comes from running the checker"),
        };
    }

    /// <summary>
    /// True when a run that ended badly (a non-zero exit, a signal, the memory limit) still has its output
    /// compared under <paramref name="rule"/>: only DeepCoder's TACO rule does, as its harness ignores the exit
    /// status. Under every other rule such a run fails its test whatever it printed.
    /// </summary>
    public static bool JudgesOutputOfFailedRuns(OutputMatch rule) => rule == OutputMatch.TacoLenient;

    /// <summary>Exact: line endings normalised to \n and whitespace at the very end of the output ignored.</summary>
    private static (bool, string?) CompareExact(string actual, string expected) =>
        Differ(NormaliseEnd(actual), NormaliseEnd(expected));

    /// <summary>Equal strings, or the first line where they differ.</summary>
    private static (bool, string?) Differ(string a, string e)
    {
        if (string.Equals(a, e, StringComparison.Ordinal)) return (true, null);
        var at = 0;
        while (at < a.Length && at < e.Length && a[at] == e[at]) at++;
        var line = 1 + e.AsSpan(0, at).Count('\n');
        return (false, $"line {line} differs: expected {Show(LineAt(e, at))}, got {Show(LineAt(a, at))}");
    }

    private static string NormaliseEnd(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd();

    private static string LineAt(string text, int index)
    {
        if (index >= text.Length) return "";
        var start = text.LastIndexOf('\n', Math.Max(0, index - 1)) is var s && s >= 0 && s < index ? s + 1 : 0;
        var end = text.IndexOf('\n', index);
        return text[start..(end < 0 ? text.Length : end)];
    }

    private static (bool, string?) CompareTokens(string actual, string expected, bool numeric, double tolerance)
    {
        var a = Tokens(actual);
        var e = Tokens(expected);
        for (var i = 0; i < Math.Min(a.Count, e.Count); i++)
        {
            if (string.Equals(a[i], e[i], StringComparison.Ordinal)) continue;
            if (numeric && NumbersMatch(a[i], e[i], tolerance)) continue;
            return (false, $"token {i + 1}: expected {Show(e[i])}, got {Show(a[i])}");
        }
        if (a.Count == e.Count) return (true, null);
        return (false, $"expected {e.Count} tokens, got {a.Count}");
    }

    /// <summary>Whitespace-separated tokens (space, tab, newline, carriage return, vertical tab, form feed).</summary>
    public static List<string> Tokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. text.Split([' ', '\t', '\n', '\r', '\v', '\f'], StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>
    /// Two numeric tokens match when they are the same number written differently (1.0 and 1.00, 5 and 5.0,
    /// compared exactly as decimals, so 50000000000000000 and 50000000000000001 differ), or, with a tolerance,
    /// when they differ by at most the tolerance absolutely or relative to the expected number. Integers are
    /// always compared exactly: a tolerance is for fractions, and large integers would otherwise collapse.
    /// </summary>
    public static bool NumbersMatch(string actual, string expected, double tolerance)
    {
        if (ExactDecimal.TryParse(actual, out var a) && ExactDecimal.TryParse(expected, out var e))
        {
            if (a.Equals(e)) return true;
            if (tolerance <= 0 || (a.IsInteger && e.IsInteger)) return false;
        }
        else
        {
            return false;
        }
        if (!double.TryParse(actual, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            || !double.TryParse(expected, NumberStyles.Float, CultureInfo.InvariantCulture, out var y)
            || !double.IsFinite(x) || !double.IsFinite(y))
            return false;
        var difference = Math.Abs(x - y);
        return difference <= tolerance || difference <= tolerance * Math.Abs(y);
    }

    private static string Show(string text)
    {
        // Carriage returns and tabs are made visible: they are often the whole difference.
        var shown = (text.Length > 60 ? text[..60] : text).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
        return text.Length > 60 ? $"`{shown}...`" : $"`{shown}`";
    }

    /// <summary>A decimal number held exactly: sign · digits · 10^exponent, with no trailing zeros in digits.</summary>
    private readonly record struct ExactDecimal(BigInteger Digits, int Exponent, bool IsInteger)
    {
        public bool Equals(ExactDecimal other) => Digits == other.Digits && (Digits.IsZero || Exponent == other.Exponent);

        public override int GetHashCode() => HashCode.Combine(Digits, Exponent);

        /// <summary>Plain decimal notation with an optional sign, fraction and exponent (no inf, nan, hex, separators).</summary>
        public static bool TryParse(string token, out ExactDecimal value)
        {
            value = default;
            var s = token.AsSpan();
            var negative = false;
            if (s.Length > 0 && (s[0] == '+' || s[0] == '-'))
            {
                negative = s[0] == '-';
                s = s[1..];
            }
            var exponentAt = s.IndexOfAny('e', 'E');
            var exponent = 0;
            if (exponentAt >= 0)
            {
                if (!int.TryParse(s[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)
                    || Math.Abs(exponent) > 100_000)
                    return false;
                s = s[..exponentAt];
            }
            var dot = s.IndexOf('.');
            var whole = dot < 0 ? s : s[..dot];
            var fraction = dot < 0 ? [] : s[(dot + 1)..];
            if (whole.Length + fraction.Length == 0 || whole.Length + fraction.Length > 10_000) return false;
            foreach (var c in whole) if (c is < '0' or > '9') return false;
            foreach (var c in fraction) if (c is < '0' or > '9') return false;
            var digits = BigInteger.Parse(string.Concat(whole, fraction), CultureInfo.InvariantCulture);
            exponent -= fraction.Length;
            while (!digits.IsZero && digits % 10 == 0)
            {
                digits /= 10;
                exponent++;
            }
            value = new ExactDecimal(negative ? -digits : digits, exponent, dot < 0 && exponentAt < 0);
            return true;
        }
    }
}
