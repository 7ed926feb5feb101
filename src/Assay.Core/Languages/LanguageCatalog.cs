namespace Assay.Core.Languages;

/// <summary>
/// The languages Assay knows, found by any of their spellings (name, alias, dataset name; case does not matter).
/// Two languages claiming one spelling is an error naming both, found when the catalog is made.
/// </summary>
public sealed class LanguageCatalog
{
    private readonly Dictionary<string, Language> _bySpelling = new(StringComparer.OrdinalIgnoreCase);

    public LanguageCatalog(IEnumerable<Language> languages)
    {
        ArgumentNullException.ThrowIfNull(languages);
        All = languages.ToList();
        // Names first: a language's own name always finds it, even where another lists it as an alias.
        foreach (var language in All)
        {
            if (!_bySpelling.TryAdd(language.Name, language))
                throw new InvalidDataException($"two languages are named `{language.Name}`");
        }
        foreach (var language in All)
        {
            foreach (var spelling in language.Aliases.Concat(language.DatasetNames))
            {
                if (_bySpelling.TryGetValue(spelling, out var other) && other != language)
                {
                    if (string.Equals(other.Name, spelling, StringComparison.OrdinalIgnoreCase)) continue;
                    throw new InvalidDataException($"`{spelling}` is claimed by both {other.Name} and {language.Name}");
                }
                _bySpelling[spelling] = language;
            }
        }
    }

    /// <summary>An empty catalog: every name is kept as given.</summary>
    public static LanguageCatalog Empty { get; } = new([]);

    public IReadOnlyList<Language> All { get; }

    /// <summary>The language with this name, alias or dataset spelling; null when none has it.</summary>
    public Language? Find(string spelling)
    {
        ArgumentNullException.ThrowIfNull(spelling);
        return _bySpelling.GetValueOrDefault(spelling.Trim());
    }

    /// <summary>The language's name for a spelling, or the spelling as given when no language has it (the judge then refuses it, naming it).</summary>
    public string NameOf(string spelling) => Find(spelling)?.Name ?? spelling;
}
