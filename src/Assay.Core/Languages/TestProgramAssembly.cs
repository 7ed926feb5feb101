namespace Assay.Core.Languages;

/// <summary>
/// How one language's benchmark test programs (HumanEval-X, MultiPL-E, MBXP) become one source with the
/// candidate: <c>shims' prepends + prelude + candidate + between + tests + shims' appends + epilogue</c>, after the
/// rewrites and the entry-point renaming. In the texts, <c>{marker}</c> stands for the end-of-tests marker.
/// </summary>
/// <remarks>
/// The judge sends a fresh nonce on stdin. The prelude reads it before any of the candidate's code runs (so a
/// candidate that reads its stdin finds nothing), and only the epilogue, reached once the tests have run to their
/// end, prints it after the marker. Languages whose tests are a <c>main</c> function rename it and add an entry
/// point that reads the nonce, runs the renamed tests, then prints the marker.
/// </remarks>
public sealed class TestProgramAssembly
{
    /// <summary>Before the candidate: reads the nonce.</summary>
    public string Prelude { get; init; } = "";

    /// <summary>Between the candidate and the tests (e.g. an assertion helper the tests rely on).</summary>
    public string Between { get; init; } = "";

    /// <summary>After the tests: prints the marker and the nonce.</summary>
    public string Epilogue { get; init; } = "";

    /// <summary>The tests' entry function, when they have one: the first alternative that matches is used.</summary>
    public IReadOnlyList<EntryRename> Entry { get; init; } = [];

    /// <summary>Regular-expression replacements in the candidate and tests, in order (applied before anything is added).</summary>
    public IReadOnlyList<SourceRewrite> Rewrites { get; init; } = [];

    /// <summary>Extra source added only when the program or its tests mention something (a library stand-in).</summary>
    public IReadOnlyList<SourceShim> Shims { get; init; } = [];

    /// <summary>
    /// A structural transformation written in code, for test layouts no text rule can express (Go's
    /// <c>func TestX(t *testing.T)</c>, Rust's <c>#[test]</c> functions): its name. It owns the whole assembly.
    /// </summary>
    public string? Transform { get; init; }
}

/// <summary>
/// Renames the tests' entry function so that a new one can run it and then the epilogue. <see cref="Pattern"/> is
/// looked for in the tests first, then in the whole source (MBXP's Scala puts the entry object in the prompt).
/// </summary>
public sealed class EntryRename
{
    /// <summary>A regular expression matching the entry's signature; its groups can be used in <see cref="Replacement"/>.</summary>
    public string Pattern { get; init; } = "";

    /// <summary>What replaces the signature (regular-expression replacement syntax: <c>$1</c>).</summary>
    public string Replacement { get; init; } = "";

    /// <summary>Inserted before the closing brace of the renamed function's body (C-like braces; e.g. <c>return 0;</c>).</summary>
    public string BodyEnd { get; init; } = "";

    /// <summary>
    /// Appended after the tests: the new entry point. <c>{owner}</c> stands for the class or object that declares the
    /// renamed entry (the last <c>class</c>/<c>object</c> declared before it).
    /// </summary>
    public string After { get; init; } = "";

    /// <summary>When the source matches this regular expression, <see cref="After"/> is left out (the entry needs no wrapper).</summary>
    public string? AfterUnless { get; init; }
}

/// <summary>A regular-expression replacement in the source.</summary>
public sealed class SourceRewrite
{
    public string Pattern { get; init; } = "";
    public string Replacement { get; init; } = "";
}

/// <summary>Source added when <see cref="When"/> (a regular expression) matches the candidate or its tests.</summary>
public sealed class SourceShim
{
    public string When { get; init; } = "";

    /// <summary>Put before everything else.</summary>
    public string Prepend { get; init; } = "";

    /// <summary>Put after the tests, before the epilogue.</summary>
    public string Append { get; init; } = "";

    /// <summary>A regular expression whose matches are removed (an import the appended stand-in replaces).</summary>
    public string? Remove { get; init; }
}
