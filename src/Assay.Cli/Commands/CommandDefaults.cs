namespace Assay.Cli.Commands;

/// <summary>Rules the verbs share: where the store lives, how `--k` and seconds read.</summary>
internal static class CommandDefaults
{
    /// <summary>The verdict store when `--store` is not given: `$XDG_CACHE_HOME/assay` or `~/.cache/assay`.</summary>
    public static string StorePath()
    {
        var cache = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(cache, "assay", "verdicts.db");
    }

    /// <summary>`1,10,100` → the ks in the order given; false when any part is not a positive integer or none is given.</summary>
    public static bool TryParseKs(string text, out List<int> ks)
    {
        ks = [];
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, out var k) || k < 1) return false;
            ks.Add(k);
        }
        return ks.Count > 0;
    }

    /// <summary>
    /// Null when <paramref name="seconds"/> is a finite number of seconds above 0 (or 0 itself when
    /// <paramref name="zeroAllowed"/>) and at most <paramref name="max"/>; else the message. NaN slips through range
    /// patterns such as `is &lt;= 0 or &gt; max` (every comparison with NaN is false) and used to crash the judge.
    /// </summary>
    public static string? SecondsProblem(string option, double? seconds, double max, bool zeroAllowed = false)
    {
        if (seconds is not { } s) return null;
        var inRange = double.IsFinite(s) && (zeroAllowed ? s >= 0 : s > 0) && s <= max;
        var floor = zeroAllowed ? "0 or more" : "more than 0";
        return inRange ? null : $"{option} must be a number of seconds, {floor} and at most {max}, not {s.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    /// <summary>Why a problems file gave no problems: empty, or every line malformed and skipped.</summary>
    public static string NoProblems(FileInfo problems, IReadOnlyCollection<Assay.Datasets.Jsonl.BadRecord> bad)
    {
        var skipped = bad.Count(b => b.LineSkipped);
        return $"{InputPath(problems)}: no problems" + (skipped > 0 ? $" (its {skipped} malformed line{(skipped == 1 ? " was" : "s were")} skipped: run with --on-bad-record stop to see the first)" : " (the file is empty)");
    }

    /// <summary>The path a loader reads: `-` stays `-` (standard input), anything else becomes a full path.</summary>
    public static string InputPath(FileInfo file) => IsStandardInput(file) ? Assay.Datasets.Jsonl.JsonlFile.StandardInput : file.FullName;

    public static bool IsStandardInput(FileInfo file) => file.ToString() == Assay.Datasets.Jsonl.JsonlFile.StandardInput;

    /// <summary>
    /// True for an input that is a stream rather than a file in a folder: `-`, `/dev/stdin`, a `&lt;(…)` pipe, a FIFO.
    /// Its default results file goes to the current directory as `stdin_…` (beside `/dev/stdin` it would land in /dev).
    /// </summary>
    public static bool IsStream(FileInfo file) =>
        IsStandardInput(file) || Output.FileIdentity.IsSpecial(file.FullName)
        || file.FullName.StartsWith("/dev/", StringComparison.Ordinal) || file.FullName.StartsWith("/proc/", StringComparison.Ordinal);
}
