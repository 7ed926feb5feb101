namespace Assay.Core.Evaluation;

/// <summary>
/// The comparison rules of RL trainers' own harnesses, reproduced exactly so that a reward from Assay under a
/// trainer's preset is the reward that trainer computes. Each rule cites the function it reproduces.
/// </summary>
public static partial class StdoutComparison
{
    /// <summary>
    /// verl `verl/utils/reward_score/sandbox_fusion/utils.py::_process_single_case`:
    /// `str(stdout).rstrip("\n") == str(expected).rstrip("\n")`.
    /// </summary>
    private static (bool, string?) CompareUpToTrailingNewlines(string actual, string expected) =>
        Differ(actual.TrimEnd('\n'), expected.TrimEnd('\n'));

    /// <summary>
    /// NeMo-RL `nemo_rl/environments/code_test_environment.py::run_single_test`: `result.stdout.strip() ==
    /// expected_output.strip()`, the output read through a text-mode pipe.
    /// </summary>
    private static (bool, string?) CompareStripped(string actual, string expected) =>
        Differ(PythonText.Strip(PythonText.TextMode(actual)), PythonText.Strip(expected));

    /// <summary>
    /// open-r1 `src/open_r1/rewards.py::code_reward` (its evaluation script): `output = stdout.strip()`, then
    /// every pair of `zip(output.split('\n'), expected.split('\n'))` equal after `strip()`. The expected output is
    /// not stripped as a whole, and only as many lines as the shorter side has are compared.
    /// </summary>
    private static (bool, string?) CompareLinePrefix(string actual, string expected)
    {
        var got = PythonText.Strip(PythonText.TextMode(actual)).Split('\n');
        var want = expected.Split('\n');
        for (var i = 0; i < Math.Min(got.Length, want.Length); i++)
        {
            var (a, e) = (PythonText.Strip(got[i]), PythonText.Strip(want[i]));
            if (!string.Equals(a, e, StringComparison.Ordinal)) return (false, $"line {i + 1} differs: expected {Show(e)}, got {Show(a)}");
        }
        return (true, null);
    }

    /// <summary>
    /// rllm (DeepCoder) `rllm/rewards/code_utils/taco.py::compare_std_results` on the stdout of a text-mode pipe
    /// with trailing newlines removed (`clean_stdout`) and the expected output as one string. The steps that
    /// compare lists never match a string output there and are left out; every other step is kept, quirks
    /// included: differing tokens that are not both numbers are not compared at all, and a run of digits may
    /// match expected lines one digit each.
    /// </summary>
    private static (bool, string?) CompareTaco(string actual, string expected)
    {
        var output = PythonText.TextMode(actual).TrimEnd('\n');
        if (TacoStrippedCompare(output, expected)) return (true, null);

        // The expected output as its non-empty lines, each stripped (emptiness is tested before the strip).
        var lines = expected.Split('\n').Where(l => l.Length > 0).Select(PythonText.Strip).ToList();
        // `[float(e) for e in output]` iterates the output's characters.
        if (AllFloats(output.Select(c => c.ToString()), out var chars) && AllFloats(lines, out var wanted)
            && chars.Count == wanted.Count && chars.Zip(wanted).All(p => PythonText.IsClose(p.First, p.Second)))
            return (true, null);

        var tokens = PythonText.Split(output).ToHashSet(StringComparer.Ordinal);
        var lineSets = lines.Select(l => PythonText.Split(l).ToHashSet(StringComparer.Ordinal)).ToList();
        // `set(frozenset(s) for s in tokens)`: a token (a string) becomes the set of its characters.
        var outputSets = tokens.Select(t => SetKey(t.Select(c => c.ToString()))).ToHashSet(StringComparer.Ordinal);
        var expectedSets = lineSets.Select(s => SetKey(s)).ToHashSet(StringComparer.Ordinal);
        if (outputSets.SetEquals(expectedSets)) return (true, null);

        // The same with every element read as a number rounded to three decimals (characters of the tokens again).
        if (RoundedSets(tokens.Select(t => t.Select(c => c.ToString())), out var roundedOutput)
            && RoundedSets(lineSets.Select(s => (IEnumerable<string>)s), out var roundedExpected)
            && roundedOutput.SetEquals(roundedExpected))
            return (true, null);
        return (false, "the output does not match under DeepCoder's TACO rule");
    }

    /// <summary>`stripped_string_compare` of rllm's taco.py.</summary>
    private static bool TacoStrippedCompare(string output, string expected)
    {
        var s1 = PythonText.Strip(output);
        var s2 = PythonText.Strip(expected);
        if (string.Equals(s1, s2, StringComparison.Ordinal)) return true;
        if (PythonText.TryParseFloat(s1, out var f1) && PythonText.TryParseFloat(s2, out var f2)) return PythonText.IsClose(f1, f2);
        var lines1 = s1.Split('\n').Select(PythonText.Strip).Where(l => l.Length > 0).ToList();
        var lines2 = s2.Split('\n').Select(PythonText.Strip).Where(l => l.Length > 0).ToList();
        if (lines1.Count != lines2.Count) return false;
        for (var i = 0; i < lines1.Count; i++)
        {
            var t1 = PythonText.Split(lines1[i]);
            var t2 = PythonText.Split(lines2[i]);
            if (t1.Count != t2.Count) return false;
            for (var j = 0; j < t1.Count; j++)
            {
                if (string.Equals(t1[j], t2[j], StringComparison.Ordinal)) continue;
                // Two numbers must be close; anything else that differs is let through (the `except: pass` there).
                if (PythonText.TryParseFloat(t1[j], out var a) && PythonText.TryParseFloat(t2[j], out var b) && !PythonText.IsClose(a, b)) return false;
            }
        }
        return true;
    }

    private static bool AllFloats(IEnumerable<string> texts, out List<double> values)
    {
        values = [];
        foreach (var text in texts)
        {
            if (!PythonText.TryParseFloat(text, out var v)) return false;
            values.Add(v);
        }
        return true;
    }

    /// <summary>`set(frozenset(round(float(t), 3) for t in s) for s in sets)`, or false where `float` raises.</summary>
    private static bool RoundedSets(IEnumerable<IEnumerable<string>> sets, out HashSet<string> keys)
    {
        keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            if (!AllFloats(set, out var numbers)) return false;
            // NaN equals nothing, not even itself: a set holding one matches no other set.
            if (numbers.Any(double.IsNaN)) keys.Add("nan:" + keys.Count + ":" + Guid.NewGuid().ToString("N"));
            else keys.Add(SetKey(numbers.Select(n => PythonText.Round3(n) is var r && r == 0 ? "0" : r.ToString("R", System.Globalization.CultureInfo.InvariantCulture))));
        }
        return true;
    }

    /// <summary>A frozenset of strings as one comparable key: its distinct elements, sorted, length-prefixed.</summary>
    private static string SetKey(IEnumerable<string> elements) =>
        string.Concat(elements.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(e => e.Length + ":" + e + ";"));
}
