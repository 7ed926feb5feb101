namespace Assay.Core.Evaluation;

/// <summary>What is wrong with a verdict store, so the caller can say what to do about it.</summary>
public enum VerdictStoreFault
{
    /// <summary>An SQLite file whose pages fail SQLite's own check (cut short, overwritten, bit-flipped).</summary>
    Damaged,

    /// <summary>Not an SQLite file, or an SQLite file of another program (no verdicts table of ours).</summary>
    NotAStore,

    /// <summary>Cannot be opened or written: a directory, a missing or read-only folder, a full disk.</summary>
    Unwritable,

    /// <summary>Locked by another process for longer than Assay waits.</summary>
    Busy,
}

/// <summary>
/// The verdict store cannot be used. A fault of the user's file, not of Assay and never of a candidate: callers
/// report it with the path and the way out (no store, another store, or moving the file aside) — the store is
/// never deleted or repaired behind the user's back.
/// </summary>
public sealed class VerdictStoreException(string path, VerdictStoreFault fault, string detail, Exception? inner = null)
    : Exception($"{path}: {Describe(fault)} ({detail})", inner)
{
    public string StorePath { get; } = path;

    public VerdictStoreFault Fault { get; } = fault;

    private static string Describe(VerdictStoreFault fault) => fault switch
    {
        VerdictStoreFault.Damaged => "the verdict store is damaged",
        VerdictStoreFault.NotAStore => "is not an Assay verdict store",
        VerdictStoreFault.Unwritable => "cannot open or write the verdict store",
        VerdictStoreFault.Busy => "the verdict store is locked by another process",
        _ => "the verdict store cannot be used",
    };
}
