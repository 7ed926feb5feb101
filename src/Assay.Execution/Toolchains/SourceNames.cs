using System.Text.RegularExpressions;

namespace Assay.Execution.Toolchains;

/// <summary>
/// A name read from a program's source (`source_names` in a toolchain file) and used as `{name}` in `source_file`,
/// `compile` and `run`: Java's public class names the file and the class holding `main` is run; Kotlin runs the
/// object or file class that holds `main`, in its package. The first pattern that matches gives the value, else
/// <see cref="Default"/>.
/// </summary>
public sealed class SourceName
{
    public string Name { get; set; } = "";

    /// <summary>Tried in order; the first that matches (and gives a safe value) wins.</summary>
    public List<SourceNamePattern> Find { get; set; } = [];

    /// <summary>The value when no pattern matches; may use earlier names as `{name}`.</summary>
    public string Default { get; set; } = "";
}

public sealed class SourceNamePattern
{
    /// <summary>A .NET regular expression, multiline (`^` and `$` match at line breaks).</summary>
    public string Pattern { get; set; } = "";

    /// <summary>The value: regular-expression replacement syntax (`$1`, the default) and earlier names as `{name}`.</summary>
    public string Value { get; set; } = "$1";
}

/// <summary>Where one program is written and how it is compiled and run, once its source names are known.</summary>
public sealed record ProgramLayout(string SourceFile, IReadOnlyList<string>? CompileCommand, IReadOnlyList<string> RunCommand);

/// <summary>Reads a toolchain's source names from a program and fills them into the toolchain's commands.</summary>
internal sealed class SourceNameReader
{
    /// <summary>
    /// A pattern gets this long per program; one that takes longer counts as not matching (the next one is tried).
    /// The shipped patterns take microseconds on a normal program; the limit only bounds a pathological one.
    /// </summary>
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private readonly IReadOnlyList<(SourceName Name, IReadOnlyList<Regex> Patterns)> _names;

    public SourceNameReader(IReadOnlyList<SourceName> names)
    {
        _names = names.Select(n => (n, (IReadOnlyList<Regex>)n.Find.Select(p => Compile(p.Pattern)).ToList())).ToList();
    }

    public static Regex Compile(string pattern) =>
        new(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>
    /// The names' values for this source. A value is only letters, digits, `_`, `$` and `.`: it becomes part of a
    /// file name and of a command-line argument, so a match that would give anything else (a `/`, a leading `-`)
    /// counts as no match.
    /// </summary>
    public IReadOnlyDictionary<string, string> Read(string source)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, patterns) in _names)
        {
            string? value = null;
            for (var i = 0; i < patterns.Count && value is null; i++)
            {
                Match match;
                try
                {
                    match = patterns[i].Match(source);
                }
                catch (RegexMatchTimeoutException)
                {
                    continue;
                }
                if (!match.Success) continue;
                var candidate = Fill(match.Result(name.Find[i].Value), values);
                if (IsSafe(candidate)) value = candidate;
            }
            values[name.Name] = value ?? Fill(name.Default, values);
        }
        return values;
    }

    /// <summary>The names' values when no pattern matches: what a source that names nothing gets.</summary>
    public IReadOnlyDictionary<string, string> Defaults()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, _) in _names) values[name.Name] = Fill(name.Default, values);
        return values;
    }

    public static string Fill(string text, IReadOnlyDictionary<string, string> values)
    {
        foreach (var (name, value) in values) text = text.Replace("{" + name + "}", value, StringComparison.Ordinal);
        return text;
    }

    private static bool IsSafe(string value) => value.All(c => char.IsLetterOrDigit(c) || c is '_' or '$' or '.');
}
