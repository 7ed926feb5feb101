using System.Diagnostics.CodeAnalysis;

namespace Assay.Cli.Commands;

/// <summary>Rules that `eval` and `rank` share: where the store lives, how `--k` reads, where results may go.</summary>
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
    /// Whether results may go beside the samples: the directory must exist and carry a write permission bit.
    /// The bits are read rather than tried, because root can write into a directory marked read-only (a
    /// shared data set, say) and must not.
    /// </summary>
    public static bool IsWritable([NotNullWhen(true)] string? directory)
    {
        if (directory is null || !Directory.Exists(directory)) return false;
        const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        return (File.GetUnixFileMode(directory) & anyWrite) != 0;
    }
}
