using System.Text.Json;

namespace Assay.Testing;

/// <summary>A private temporary directory for a test's fixtures, results and store; deleted afterwards.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("assay-tests-").FullName;

    public string Path { get; }

    public string PathOf(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Writes raw lines (exactly as given) to a file and returns its path.</summary>
    public string WriteLines(string name, IEnumerable<string> lines)
    {
        var path = PathOf(name);
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));
        return path;
    }

    /// <summary>Writes one JSON object per line (anonymous objects serialised with their property names as given).</summary>
    public string WriteJsonl(string name, IEnumerable<object> records) =>
        WriteLines(name, records.Select(r => JsonSerializer.Serialize(r)));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp directory breaks nothing.
        }
    }
}
