using System.Text.Json;

namespace Assay.Datasets.Jsonl;

/// <summary>
/// System.Text.Json's error for one line or one embedded JSON value, without its ` Path: $ | LineNumber: 0 |
/// BytePositionInLine: 12.` tail: the line number there counts lines inside the value (always 0 for a JSONL line),
/// which reads like a wrong line number next to ours.
/// </summary>
internal static class JsonErrors
{
    public static string Describe(JsonException ex)
    {
        var message = ex.Message.Split(" Path:", 2)[0].Split(" LineNumber:", 2)[0].TrimEnd(' ', '|')
            // Advice meant for .NET programmers (the reader's options), not for someone fixing a data file.
            .Replace(" which is not supported in this mode. Change the reader options.", ", which JSON does not allow.", StringComparison.Ordinal)
            .Replace(" Change the reader options.", "", StringComparison.Ordinal);
        var at = ex.BytePositionInLine is { } position ? $" (at byte {position + 1}{(ex.LineNumber is > 0 ? $" of its line {ex.LineNumber + 1}" : "")})" : "";
        return message + at;
    }
}
