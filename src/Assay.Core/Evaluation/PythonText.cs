using System.Globalization;
using System.Numerics;
using System.Text;

namespace Assay.Core.Evaluation;

/// <summary>
/// Python's own string and number rules, for the comparison rules that reproduce a trainer's Python harness
/// exactly: which characters `str.strip()` and `str.split()` treat as whitespace, what `float()` accepts, how
/// text-mode pipes read newlines, and numpy's `isclose`.
/// </summary>
public static class PythonText
{
    /// <summary>
    /// `str.isspace()`: .NET's white space plus U+001C..U+001F, which Python also counts (they are separators
    /// in Unicode's bidirectional classes).
    /// </summary>
    public static bool IsSpace(char c) => char.IsWhiteSpace(c) || c is >= '\u001c' and <= '\u001f';

    /// <summary>`str.strip()` with no argument.</summary>
    public static string Strip(string text)
    {
        var start = 0;
        var end = text.Length;
        while (start < end && IsSpace(text[start])) start++;
        while (end > start && IsSpace(text[end - 1])) end--;
        return text[start..end];
    }

    /// <summary>`str.split()` with no argument: runs of whitespace separate, and no empty pieces.</summary>
    public static List<string> Split(string text)
    {
        var parts = new List<string>();
        var at = 0;
        while (at < text.Length)
        {
            while (at < text.Length && IsSpace(text[at])) at++;
            var start = at;
            while (at < text.Length && !IsSpace(text[at])) at++;
            if (at > start) parts.Add(text[start..at]);
        }
        return parts;
    }

    /// <summary>
    /// What a Python `subprocess` pipe opened with `text=True` returns: universal newlines, so `\r\n` and a lone
    /// `\r` both read as `\n`.
    /// </summary>
    public static string TextMode(string output) =>
        output.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');

    /// <summary>
    /// Python's `float(text)`: surrounding whitespace, a sign, `inf`/`infinity`/`nan` in any case, decimal
    /// digits of any script, single underscores between digits, an exponent. Out-of-range values are infinite.
    /// </summary>
    public static bool TryParseFloat(string text, out double value)
    {
        value = 0;
        var s = Strip(text);
        var body = s.Length > 0 && s[0] is '+' or '-' ? s[1..] : s;
        var negative = s.Length > 0 && s[0] == '-';
        if (body.Equals("inf", StringComparison.OrdinalIgnoreCase) || body.Equals("infinity", StringComparison.OrdinalIgnoreCase))
        {
            value = negative ? double.NegativeInfinity : double.PositiveInfinity;
            return true;
        }
        if (body.Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            value = double.NaN;
            return true;
        }
        var ascii = new StringBuilder(s.Length);
        if (negative) ascii.Append('-');
        var digitsBefore = 0;
        var digitsAfter = 0;
        var exponentDigits = 0;
        var part = 0; // 0: integer part, 1: fraction, 2: exponent
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (char.IsDigit(c))
            {
                ascii.Append((char)('0' + (int)char.GetNumericValue(c)));
                if (part == 0) digitsBefore++;
                else if (part == 1) digitsAfter++;
                else exponentDigits++;
            }
            else if (c == '_')
            {
                // Only between two digits of the same part.
                if (i == 0 || i + 1 >= body.Length || !char.IsDigit(body[i - 1]) || !char.IsDigit(body[i + 1])) return false;
            }
            else if (c == '.' && part == 0)
            {
                ascii.Append('.');
                part = 1;
            }
            else if (c is 'e' or 'E' && part < 2 && digitsBefore + digitsAfter > 0)
            {
                ascii.Append('e');
                part = 2;
                if (i + 1 < body.Length && body[i + 1] is '+' or '-') ascii.Append(body[++i]);
            }
            else
            {
                return false;
            }
        }
        if (digitsBefore + digitsAfter == 0 || (part == 2 && exponentDigits == 0)) return false;
        value = double.Parse(ascii.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>`numpy.isclose(a, b)` with its defaults: |a − b| ≤ 1e-8 + 1e-5·|b|; infinities equal only to themselves; NaN never.</summary>
    public static bool IsClose(double a, double b)
    {
        if (double.IsNaN(a) || double.IsNaN(b)) return false;
        if (double.IsInfinity(a) || double.IsInfinity(b)) return a == b;
        return Math.Abs(a - b) <= 1e-8 + 1e-5 * Math.Abs(b);
    }

    /// <summary>
    /// Python's `round(x, 3)`: the exact binary value rounded to three decimals, ties to even, read back as the
    /// nearest double.
    /// </summary>
    public static double Round3(double x)
    {
        if (double.IsNaN(x) || double.IsInfinity(x) || x == 0) return x;
        var bits = BitConverter.DoubleToInt64Bits(x);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xF_FFFF_FFFF_FFFFL;
        if (exponent == 0) exponent++;
        else mantissa |= 1L << 52;
        exponent -= 1075;
        // |x| = mantissa · 2^exponent; scaled = |x| · 1000, rounded half to even.
        BigInteger scaled;
        if (exponent >= 0)
        {
            scaled = new BigInteger(mantissa) * 1000 << exponent;
        }
        else
        {
            var numerator = new BigInteger(mantissa) * 1000;
            var denominator = BigInteger.One << -exponent;
            scaled = BigInteger.DivRem(numerator, denominator, out var remainder);
            var twice = remainder * 2;
            if (twice > denominator || (twice == denominator && !scaled.IsEven)) scaled += 1;
        }
        var rounded = double.Parse(scaled.ToString(CultureInfo.InvariantCulture) + "e-3", NumberStyles.Float, CultureInfo.InvariantCulture);
        return x < 0 ? -rounded : rounded;
    }
}
