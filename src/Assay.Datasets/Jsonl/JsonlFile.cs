using System.Text.Json;
using ICSharpCode.SharpZipLib;
using ICSharpCode.SharpZipLib.GZip;

namespace Assay.Datasets.Jsonl;

/// <summary>What to do with a line that is not a valid record.</summary>
public enum BadRecordPolicy
{
    /// <summary>Stop at the first bad line with an error naming the file and line.</summary>
    Stop,

    /// <summary>Report each bad line (file and line) and go on with the rest.</summary>
    Skip,
}

/// <summary>A malformed input line: which file, which line, what is wrong.</summary>
/// <param name="LineSkipped">False when the line was loaded after a repair the record names (a lone surrogate
/// replaced): it is reported, not dropped.</param>
public sealed record BadRecord(string File, int Line, string Problem, bool LineSkipped = true)
{
    public override string ToString() => $"{File}:{Line}: {Problem}";

    /// <summary>How the command line reports it: `skipped FILE:LINE: ...` or `repaired FILE:LINE: ...`.</summary>
    public string Report() => (LineSkipped ? "skipped " : "repaired ") + this;
}

/// <summary>Thrown (with <see cref="BadRecordPolicy.Stop"/>) at the first bad record.</summary>
public sealed class BadRecordException(BadRecord record) : Exception(record.ToString())
{
    public BadRecord Record { get; } = record;
}

/// <summary>
/// Reads JSON Lines files, plain or gzip-compressed (by content, not name), one record per non-blank line.
/// Every bad line is reported with its file and line number; nothing is dropped silently.
/// </summary>
public static class JsonlFile
{
    public static IEnumerable<(int Line, JsonElement Record)> Read(string path, BadRecordPolicy policy, ICollection<BadRecord> badRecords)
    {
        ArgumentNullException.ThrowIfNull(badRecords);
        using var stream = Open(path);
        using var reader = new StreamReader(stream);
        var lineNumber = 0;
        while (ReadLine(reader, path, lineNumber) is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            JsonElement record;
            try
            {
                record = Parse(LoneSurrogates.Repair(line, out var repaired));
                if (repaired > 0)
                    badRecords.Add(new BadRecord(path, lineNumber, $"{repaired} lone UTF-16 surrogate escape{(repaired > 1 ? "s" : "")} (as Python writes broken "
                        + "model output) replaced with U+FFFD; the record is judged as repaired", LineSkipped: false));
            }
            catch (JsonException ex)
            {
                var bad = new BadRecord(path, lineNumber, "not valid JSON: " + JsonErrors.Describe(ex));
                if (policy == BadRecordPolicy.Stop) throw new BadRecordException(bad);
                badRecords.Add(bad);
                continue;
            }
            if (record.ValueKind != JsonValueKind.Object)
            {
                var bad = new BadRecord(path, lineNumber, "expected a JSON object");
                if (policy == BadRecordPolicy.Stop) throw new BadRecordException(bad);
                badRecords.Add(bad);
                continue;
            }
            yield return (lineNumber, record);
        }
    }

    /// <summary>
    /// The next line; a gzip file that ends early or fails its check is an error naming the file, never a shorter
    /// file read as if complete (a truncated download would otherwise score a fraction of a benchmark).
    /// </summary>
    private static string? ReadLine(StreamReader reader, string path, int linesRead)
    {
        try
        {
            return reader.ReadLine();
        }
        catch (Exception ex) when (ex is SharpZipBaseException or EndOfStreamException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: not a valid gzip file after line {linesRead} ({ex.Message}): "
                + "it is truncated or corrupt; download it again, or check it with `gzip -t`", ex);
        }
    }

    /// <summary>
    /// Parses one record. Python's json module writes infinities as the bare words `Infinity` and `-Infinity`
    /// (MBPP+ has them), which JSON does not allow: a line that fails to parse is retried with those words,
    /// outside strings, written as the numbers `1e999` and `-1e999`, which Python reads back as infinities.
    /// </summary>
    private static JsonElement Parse(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.Clone();
        }
        catch (JsonException) when (line.Contains("Infinity", StringComparison.Ordinal))
        {
            using var doc = JsonDocument.Parse(WithInfinitiesAsNumbers(line));
            return doc.RootElement.Clone();
        }
    }

    private static string WithInfinitiesAsNumbers(string line)
    {
        var result = new System.Text.StringBuilder(line.Length);
        var inString = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (inString)
            {
                result.Append(c);
                if (c == '\\' && i + 1 < line.Length) result.Append(line[++i]);
                else if (c == '"') inString = false;
                continue;
            }
            if (c == '"') inString = true;
            if (string.CompareOrdinal(line, i, "Infinity", 0, 8) == 0)
            {
                result.Append("1e999");
                i += 7;
                continue;
            }
            result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>The path that means standard input, as in most Unix tools.</summary>
    public const string StandardInput = "-";

    /// <summary>
    /// Opens a file (or standard input for <see cref="StandardInput"/>; pipes and process substitutions too),
    /// transparently decompressing gzip (detected by its magic bytes). The gzip reader checks each member's CRC
    /// and length, so truncation and corruption surface as exceptions while reading.
    /// </summary>
    public static Stream Open(string path)
    {
        // .NET says "Access to the path … is denied" for a directory, which sends a user looking at permissions.
        if (path != StandardInput && Directory.Exists(path)) throw new IOException($"{path} is a directory, not a file");
        if (path != StandardInput && !File.Exists(path)) throw new FileNotFoundException($"{path}: no such file", path);
        var file = path == StandardInput ? Console.OpenStandardInput() : File.OpenRead(path);
        var magic = new byte[2];
        var read = 0;
        while (read < 2 && file.Read(magic, read, 2 - read) is var n and > 0) read += n;
        Stream content;
        if (file.CanSeek)
        {
            file.Position = 0;
            content = file;
        }
        else
        {
            content = new PeekedStream(magic[..read], file);
        }
        return read == 2 && magic[0] == 0x1f && magic[1] == 0x8b ? new GZipInputStream(content) : content;
    }

    /// <summary>A string field, or null when absent; a field of another type is a bad record.</summary>
    public static string? OptionalString(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
