using Assay.Core.Languages;
using Assay.Execution.Toolchains;

namespace Assay.Testing;

/// <summary>The language catalog the shipped toolchain files make, loaded once for the loaders under test.</summary>
public static class Languages
{
    private static readonly Lazy<LanguageCatalog> Shipped = new(() => ToolchainCatalog.LoadDefault().Languages);

    public static LanguageCatalog Catalog => Shipped.Value;

    /// <summary>The shipped definition of one language (its test-program assembly, signals, tags).</summary>
    public static Language Of(string name) => Catalog.Find(name) ?? throw new InvalidOperationException($"no toolchain file for {name}");
}
