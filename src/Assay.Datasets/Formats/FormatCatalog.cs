using System.Reflection;
using System.Text.Json;

namespace Assay.Datasets.Formats;

/// <summary>
/// What a file format is, on the <see cref="ProblemFormat"/> or <see cref="SampleFormat"/> value itself: the one
/// description `assay formats` prints, so it cannot drift from a copy in the CLI. Its example record is checked by
/// tests to be auto-detected as its format and to load.
/// </summary>
/// <param name="summary">What the format holds and how Assay judges it.</param>
/// <param name="detection">What `auto` looks for in a record (field names in backticks).</param>
/// <param name="example">One small record of the format, as JSON.</param>
/// <param name="benchmarks">The benchmarks and tools whose files come in this format.</param>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false)]
public sealed class FormatInfoAttribute(string summary, string detection, string example, params string[] benchmarks) : Attribute
{
    public string Summary { get; } = summary;

    public string Detection { get; } = detection;

    public string Example { get; } = example;

    public IReadOnlyList<string> Benchmarks { get; } = benchmarks;
}

/// <summary>One format as `assay formats` lists it.</summary>
/// <param name="Kind">`problems` or `samples`.</param>
/// <param name="Name">The value `--problems-format` / `--samples-format` takes (the enum name in lowercase).</param>
public sealed record FormatDescription(string Kind, string Name, string Summary, string Detection, IReadOnlyList<string> Benchmarks, string Example)
{
    /// <summary>The example record's field names, in order.</summary>
    public IReadOnlyList<string> ExampleFields
    {
        get
        {
            using var doc = JsonDocument.Parse(Example);
            return [.. doc.RootElement.EnumerateObject().Select(p => p.Name)];
        }
    }
}

/// <summary>The formats Assay reads, in the order auto-detection tries them, described by their <see cref="FormatInfoAttribute"/>.</summary>
public static class FormatCatalog
{
    public static IReadOnlyList<FormatDescription> ProblemFormats { get; } = Describe("problems", ProblemFile.DetectionOrder);

    public static IReadOnlyList<FormatDescription> SampleFormats { get; } = Describe("samples", SampleFile.DetectionOrder);

    /// <summary>The description of one format value; null for `auto`, which is no format of its own.</summary>
    public static FormatInfoAttribute? InfoOf<T>(T format) where T : struct, Enum =>
        typeof(T).GetField(format.ToString())?.GetCustomAttribute<FormatInfoAttribute>();

    private static List<FormatDescription> Describe<T>(string kind, IReadOnlyList<T> order) where T : struct, Enum
    {
        // Every value but auto is in the detection order (a test holds the loaders to that), so none is left unlisted.
        return [.. order.Select(format => InfoOf(format) is { } info
            ? new FormatDescription(kind, format.ToString().ToLowerInvariant(), info.Summary, info.Detection, info.Benchmarks, info.Example)
            : throw new InvalidOperationException($"{typeof(T).Name}.{format} has no [FormatInfo] description"))];
    }
}
