namespace Assay.Execution.Judging;

public static partial class TestProgramSource
{
    /// <summary>Brace matching in C-like text (the benchmark's own test programs), skipping strings, characters and comments.</summary>
    private static class CFamily
    {
        public static int MatchingBrace(string text, int open)
        {
            var depth = 0;
            for (var i = open; i < text.Length; i++)
            {
                var c = text[i];
                if (c == '/' && i + 1 < text.Length && text[i + 1] == '/')
                {
                    i = text.IndexOf('\n', i);
                    if (i < 0) return -1;
                }
                else if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
                {
                    i = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    if (i < 0) return -1;
                    i++;
                }
                else if (c is '"' or '\'')
                {
                    for (i++; i < text.Length && text[i] != c; i++)
                    {
                        if (text[i] == '\\') i++;
                    }
                }
                else if (c == '{') depth++;
                else if (c == '}' && --depth == 0) return i;
            }
            return -1;
        }
    }

    /// <summary>
    /// MultiPL-E's Java prompts import org.javatuples (its container ships the jar); this is the part its
    /// problems use: Pair with `with`, `getValue0/1`, value equality and javatuples' `[a, b]` text.
    /// </summary>
    private const string JavaTuples =
        """

        final class Pair<A, B> {
            private final A value0;
            private final B value1;
            Pair(A value0, B value1) { this.value0 = value0; this.value1 = value1; }
            public static <A, B> Pair<A, B> with(A value0, B value1) { return new Pair<>(value0, value1); }
            public A getValue0() { return value0; }
            public B getValue1() { return value1; }
            @Override public boolean equals(Object o) {
                return o instanceof Pair<?, ?> p && java.util.Objects.equals(value0, p.value0) && java.util.Objects.equals(value1, p.value1);
            }
            @Override public int hashCode() { return java.util.Objects.hash(value0, value1); }
            @Override public String toString() { return "[" + value0 + ", " + value1 + "]"; }
        }

        """;

    /// <summary>
    /// MBXP's C# tests compare results with KellermanSoftware.CompareNetObjects (a NuGet package, not part of
    /// .NET). This stand-in gives `new CompareLogic().Compare(a, b).AreEqual` the same meaning for the values
    /// those tests compare: null only equals null, numbers by value, strings exactly, collections element by
    /// element in order, dictionaries by key, tuples by item, other objects by Equals or else field by field.
    /// </summary>
    private const string CompareNetObjects =
        """

        namespace KellermanSoftware.CompareNetObjects
        {
            public sealed class ComparisonResult
            {
                public bool AreEqual { get; set; }
                public string DifferencesString => AreEqual ? "" : "the objects differ";
            }

            public sealed class CompareLogic
            {
                public ComparisonResult Compare(object expected, object actual) => new ComparisonResult { AreEqual = Same(expected, actual) };

                private static bool IsNumber(object o) => o is sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal;

                private static bool Same(object a, object b)
                {
                    if (a is null || b is null) return a is null && b is null;
                    if (IsNumber(a) && IsNumber(b))
                    {
                        if (a is float or double || b is float or double) return global::System.Convert.ToDouble(a).Equals(global::System.Convert.ToDouble(b));
                        return global::System.Convert.ToDecimal(a) == global::System.Convert.ToDecimal(b);
                    }
                    if (a is string || b is string || a is char || b is char || a is bool || b is bool) return a.Equals(b);
                    if (a is global::System.Collections.IDictionary da && b is global::System.Collections.IDictionary db)
                    {
                        if (da.Count != db.Count) return false;
                        foreach (global::System.Collections.DictionaryEntry e in da)
                        {
                            if (!db.Contains(e.Key) || !Same(e.Value, db[e.Key])) return false;
                        }
                        return true;
                    }
                    if (a is global::System.Runtime.CompilerServices.ITuple ta && b is global::System.Runtime.CompilerServices.ITuple tb)
                    {
                        if (ta.Length != tb.Length) return false;
                        for (var i = 0; i < ta.Length; i++) if (!Same(ta[i], tb[i])) return false;
                        return true;
                    }
                    if (a is global::System.Collections.IEnumerable ea && b is global::System.Collections.IEnumerable eb)
                    {
                        var ia = ea.GetEnumerator();
                        var ib = eb.GetEnumerator();
                        while (true)
                        {
                            var more = ia.MoveNext();
                            if (more != ib.MoveNext()) return false;
                            if (!more) return true;
                            if (!Same(ia.Current, ib.Current)) return false;
                        }
                    }
                    if (a.Equals(b)) return true;
                    var type = a.GetType();
                    if (type != b.GetType() || type.IsPrimitive || type.IsEnum) return false;
                    foreach (var field in type.GetFields(global::System.Reflection.BindingFlags.Instance | global::System.Reflection.BindingFlags.Public | global::System.Reflection.BindingFlags.NonPublic))
                    {
                        if (!Same(field.GetValue(a), field.GetValue(b))) return false;
                    }
                    return true;
                }
            }
        }

        """;
}
