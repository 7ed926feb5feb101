namespace Assay.Storage.Sqlite;

/// <summary>What a verdict store holds (`assay store stats`).</summary>
/// <param name="Oldest">The earliest `created_at` as stored (UTC, ISO 8601); null when the store is empty.</param>
/// <param name="ByStatus">Verdicts per stored status (`ok`, `wrong_answer`, …); rows whose JSON has no readable
/// status are counted under <see cref="StoreMaintenance.UnreadableStatus"/>.</param>
public sealed record StoreStats(string Path, long DatabaseBytes, long WalBytes, long Verdicts, string? Oldest, string? Newest,
    IReadOnlyDictionary<string, long> ByStatus)
{
    public long TotalBytes => DatabaseBytes + WalBytes;
}

/// <summary>What `assay store verify` found: SQLite's own page check and every stored verdict read back.</summary>
/// <param name="IntegrityErrors">SQLite's `integrity_check` lines other than `ok` (at most 100), or the error that
/// stopped the check or the read of the verdicts table.</param>
/// <param name="Verdicts">Rows read from the verdicts table (all of them unless the read stopped on damage).</param>
/// <param name="UnparsableVerdicts">Rows whose JSON is not a verdict (the store would never serve them).</param>
/// <param name="UnparsableKeys">The keys of the first few such rows, to look them up.</param>
public sealed record StoreVerification(string Path, IReadOnlyList<string> IntegrityErrors, long Verdicts, long UnparsableVerdicts,
    IReadOnlyList<string> UnparsableKeys)
{
    public bool IsSound => IntegrityErrors.Count == 0 && UnparsableVerdicts == 0;
}

/// <summary>What `assay store prune` removed (or, with a dry run, would remove) and the file size around it.</summary>
/// <param name="Cutoff">Verdicts created before this instant (UTC, ISO 8601) are the old ones.</param>
/// <param name="Kept">Verdicts left in the store (for a dry run: that would be left), including any a concurrent
/// run wrote meanwhile.</param>
public sealed record PruneResult(string Path, string Cutoff, bool DryRun, long Removed, long Kept, long BytesBefore, long BytesAfter);
