namespace Assay.Core.Languages;

/// <summary>
/// Everything Assay knows about one language that is not how to run it: the names people and datasets give it,
/// the tags of its Markdown code fences, how a benchmark's test program is assembled with a candidate, and what a
/// failed test prints. Read from the language's `toolchains/NAME.yaml` at the edge (the toolchain catalog); the
/// loaders, the judges and the server only read this model.
/// </summary>
public sealed class Language
{
    /// <summary>The toolchain name (`python`, `cpp`, ...): the one name results and summaries use.</summary>
    public required string Name { get; init; }

    /// <summary>How people write it (`Python 3`).</summary>
    public string DisplayName { get; init; } = "";

    /// <summary>Other names a user may pass (`py`, `c++`).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>
    /// The spellings datasets use (MultiPL-E's `rkt`, HumanEval-X's `CPP`, Codeforces' `GNU C++17`, ...). Matched
    /// like aliases, without regard to case.
    /// </summary>
    public IReadOnlyList<string> DatasetNames { get; init; } = [];

    /// <summary>Tags of Markdown code fences holding this language (`python`, `py`); the name itself when empty.</summary>
    public IReadOnlyList<string> FenceTags { get; init; } = [];

    /// <summary>
    /// Text a failed test prints (assertion errors, test frameworks' failure lines, the benchmarks' own
    /// "did not pass"): a test program that ends abnormally with one of these in its output is a wrong answer,
    /// any other abnormal end a runtime error.
    /// </summary>
    public IReadOnlyList<string> AssertionSignals { get; init; } = [];

    /// <summary>
    /// What the runtime prints when an allocation is refused (Python's `MemoryError`): a program that exits with an
    /// error and one of these in its stderr ran out of memory (`memory_limit`), whether the sandbox's limit or the
    /// kernel refused it — a single request larger than the machine is refused before any limit is reached.
    /// </summary>
    public IReadOnlyList<string> MemorySignals { get; init; } = [];

    /// <summary>
    /// Multiplies the time limit a problem gives (calibrated from a reference in another language, or the
    /// default) for programs in this language, as judges do for slow-starting runtimes. 1 leaves it as it is.
    /// </summary>
    public double TimeMultiplier { get; init; } = 1.0;

    /// <summary>How a test program is assembled with a candidate; null when this language has no test programs.</summary>
    public TestProgramAssembly? TestProgram { get; init; }

    /// <summary>Set when Assay knows the language but cannot run it here: why.</summary>
    public string? Unavailable { get; init; }

    /// <summary>Every name this language answers to: its name, aliases and dataset spellings.</summary>
    public IEnumerable<string> Spellings => new[] { Name }.Concat(Aliases).Concat(DatasetNames);

    /// <summary>The fence tags to look for: the declared ones, else the name and aliases.</summary>
    public IReadOnlyList<string> EffectiveFenceTags => FenceTags.Count > 0 ? FenceTags : [Name, .. Aliases];
}
