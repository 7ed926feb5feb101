using System.Globalization;
using System.Text.Json;
using Assay.Core.Evaluation;
using Microsoft.Data.Sqlite;

namespace Assay.Storage.Sqlite;

/// <summary>
/// Looking after an existing verdict store file (`assay store stats | verify | prune`), which otherwise grows
/// forever. It opens through the checks <see cref="SqliteVerdictStore"/> makes (a directory, another program's
/// database or damaged pages are a <see cref="VerdictStoreException"/>), never creates a file that is not there,
/// never deletes the file and never repairs it: the one change it makes is deleting old rows and reclaiming their
/// space. Every statement waits for a concurrent `assay eval` writing the same store (WAL, busy timeout) instead of
/// failing, and a prune deletes by age in one statement, so that run's new verdicts are never among the deleted.
/// </summary>
public sealed class StoreMaintenance
{
    /// <summary>The status name for stored rows whose JSON has no readable status.</summary>
    public const string UnreadableStatus = "unreadable";

    private const string OldRows = "julianday(created_at) < julianday($cutoff)";
    private readonly string _connectionString;
    private bool _hasVerdictsTable;

    private StoreMaintenance(string path)
    {
        Path = path;
        // ReadWrite, not ReadWriteCreate: a store that is not there is reported, never created empty as a side effect.
        // No pooling: nothing keeps the file open after the command (the user may move it aside next).
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString();
    }

    public string Path { get; }

    /// <summary>
    /// Opens the existing store at <paramref name="path"/>, refusing it as <see cref="SqliteVerdictStore.OpenAsync"/>
    /// does (<see cref="VerdictStoreException"/>); a missing file is a <see cref="FileNotFoundException"/>.
    /// </summary>
    public static Task<StoreMaintenance> OpenAsync(string path, CancellationToken cancellationToken = default) =>
        OpenCheckedAsync(path, checkPages: true, cancellationToken);

    /// <summary>
    /// SQLite's full `integrity_check` and every stored verdict read back with <see cref="VerdictJson"/>. Damage is
    /// the report's finding, not an exception; a missing file, a directory or another program's database still are.
    /// </summary>
    public static async Task<StoreVerification> VerifyAsync(string path, CancellationToken cancellationToken = default)
    {
        StoreMaintenance store;
        try
        {
            store = await OpenCheckedAsync(path, checkPages: false, cancellationToken);
        }
        catch (VerdictStoreException ex) when (ex.Fault == VerdictStoreFault.Damaged)
        {
            // So damaged that even its list of tables cannot be read: that is the finding.
            return new StoreVerification(path, [ex.InnerException?.Message ?? ex.Message], 0, 0, []);
        }
        return await store.VerifyAsync(cancellationToken);
    }

    private static async Task<StoreMaintenance> OpenCheckedAsync(string path, bool checkPages, CancellationToken cancellationToken)
    {
        if (Directory.Exists(path)) throw new VerdictStoreException(path, VerdictStoreFault.Unwritable, "it is a directory");
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: there is no verdict store there", path);
        var store = new StoreMaintenance(path);
        try
        {
            await using var connection = await store.ConnectAsync(cancellationToken);
            await SqliteVerdictStore.RefuseForeignFileAsync(path, connection, cancellationToken);
            if (checkPages) await SqliteVerdictStore.RefuseDamagedFileAsync(path, connection, cancellationToken);
            await using var tables = connection.CreateCommand();
            tables.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'verdicts'";
            // An empty file (no tables yet) is a store with no verdicts, as SqliteVerdictStore would treat it.
            store._hasVerdictsTable = (long)(await tables.ExecuteScalarAsync(cancellationToken))! > 0;
            return store;
        }
        catch (SqliteException ex)
        {
            // As at the store's open: our statements are fixed and valid, so a generic error is the file's.
            throw ex.SqliteErrorCode == 1 ? new VerdictStoreException(path, VerdictStoreFault.Damaged, ex.Message, ex) : SqliteVerdictStore.Translate(path, ex);
        }
    }

    /// <summary>How many verdicts, how old, of which statuses, and how big the file is (database and WAL).</summary>
    public async Task<StoreStats> StatsAsync(CancellationToken cancellationToken = default)
    {
        long count = 0;
        string? oldest = null, newest = null;
        var byStatus = new Dictionary<string, long>(StringComparer.Ordinal);
        if (_hasVerdictsTable)
        {
            try
            {
                await using var connection = await ConnectAsync(cancellationToken);
                await using var summary = connection.CreateCommand();
                summary.CommandText = "SELECT COUNT(*), MIN(created_at), MAX(created_at) FROM verdicts";
                await using (var reader = await summary.ExecuteReaderAsync(cancellationToken))
                {
                    await reader.ReadAsync(cancellationToken);
                    count = reader.GetInt64(0);
                    oldest = reader.IsDBNull(1) ? null : reader.GetString(1);
                    newest = reader.IsDBNull(2) ? null : reader.GetString(2);
                }
                // In SQL rather than deserialising each row: one pass over a 130 MB store, and a malformed row is
                // counted (json_valid) instead of failing the whole query.
                await using var statuses = connection.CreateCommand();
                statuses.CommandText = "SELECT CASE WHEN json_valid(verdict) THEN json_extract(verdict, '$.status') END, COUNT(*) FROM verdicts GROUP BY 1";
                await using (var reader = await statuses.ExecuteReaderAsync(cancellationToken))
                {
                    while (await reader.ReadAsync(cancellationToken))
                    {
                        var status = reader.IsDBNull(0) ? null : reader.GetValue(0) as string;
                        var name = string.IsNullOrEmpty(status) ? UnreadableStatus : status;
                        byStatus[name] = byStatus.GetValueOrDefault(name) + reader.GetInt64(1);
                    }
                }
            }
            catch (SqliteException ex)
            {
                throw SqliteVerdictStore.Translate(Path, ex);
            }
        }
        return new StoreStats(Path, SizeOf(Path), SizeOf(WalPath), count, oldest, newest, byStatus);
    }

    private async Task<StoreVerification> VerifyAsync(CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        long rows = 0, unparsable = 0;
        var keys = new List<string>();
        await using var connection = await ConnectAsync(cancellationToken);
        try
        {
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check(100)";
            await using var reader = await check.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (reader.GetValue(0) is string line && line != "ok") errors.Add(line);
            }
        }
        catch (SqliteException ex) when (IsDamage(ex))
        {
            errors.Add("SQLite's check stopped: " + ex.Message);
        }
        if (!_hasVerdictsTable) return new StoreVerification(Path, errors, 0, 0, []);
        try
        {
            await using var select = connection.CreateCommand();
            select.CommandText = "SELECT key, verdict FROM verdicts";
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows++;
                if (Parses(reader.GetValue(1))) continue;
                unparsable++;
                if (keys.Count < 5) keys.Add(reader.GetValue(0)?.ToString() ?? "");
            }
        }
        catch (SqliteException ex) when (IsDamage(ex))
        {
            errors.Add($"reading the verdicts stopped after {rows} rows: {ex.Message}");
        }
        catch (SqliteException ex)
        {
            throw SqliteVerdictStore.Translate(Path, ex);
        }
        return new StoreVerification(Path, errors, rows, unparsable, keys);
    }

    /// <summary>
    /// Deletes the verdicts created more than <paramref name="olderThan"/> before <paramref name="now"/> and reclaims
    /// their space (VACUUM, then a WAL checkpoint that truncates the log); a dry run only counts them. Rows whose
    /// `created_at` is not a time are kept. A verdict re-stored since (INSERT OR REPLACE) is new again and stays.
    /// </summary>
    public async Task<PruneResult> PruneAsync(TimeSpan olderThan, bool dryRun, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(olderThan, TimeSpan.Zero);
        var cutoffTime = olderThan >= now - DateTimeOffset.MinValue ? DateTimeOffset.MinValue : now - olderThan;
        var cutoff = cutoffTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        var before = SizeOf(Path) + SizeOf(WalPath);
        if (!_hasVerdictsTable) return new PruneResult(Path, cutoff, dryRun, 0, 0, before, before);
        try
        {
            await using var connection = await ConnectAsync(cancellationToken);
            await using var old = connection.CreateCommand();
            // One statement, judged row by row at the moment it runs: a concurrent writer's new verdicts (and any
            // old key it re-stores) are never deleted, as a list of keys taken first and deleted later could be.
            old.CommandText = (dryRun ? "SELECT COUNT(*) FROM verdicts WHERE " : "DELETE FROM verdicts WHERE ") + OldRows;
            old.Parameters.AddWithValue("$cutoff", cutoff);
            await using var count = connection.CreateCommand();
            count.CommandText = "SELECT COUNT(*) FROM verdicts";
            var total = dryRun ? (long)(await count.ExecuteScalarAsync(cancellationToken))! : 0;
            var removed = dryRun ? (long)(await old.ExecuteScalarAsync(cancellationToken))! : await old.ExecuteNonQueryAsync(cancellationToken);
            var kept = dryRun ? total - removed : (long)(await count.ExecuteScalarAsync(cancellationToken))!;
            if (!dryRun && removed > 0)
            {
                await using var vacuum = connection.CreateCommand();
                // VACUUM rewrites the database through the WAL; the checkpoint moves it back and cuts both files to size.
                vacuum.CommandText = "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);";
                await vacuum.ExecuteNonQueryAsync(cancellationToken);
            }
            return new PruneResult(Path, cutoff, dryRun, removed, kept, before, SizeOf(Path) + SizeOf(WalPath));
        }
        catch (SqliteException ex)
        {
            throw SqliteVerdictStore.Translate(Path, ex);
        }
    }

    private string WalPath => Path + "-wal";

    private static long SizeOf(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>SQLITE_CORRUPT and SQLITE_NOTADB: the file's pages, a finding of verify rather than a failure of it.</summary>
    private static bool IsDamage(SqliteException ex) => ex.SqliteErrorCode is 11 or 26;

    /// <summary>Whether a stored value reads back as a verdict, as the store's lookups read it.</summary>
    private static bool Parses(object? value)
    {
        if (value is not string json) return false;
        try
        {
            return VerdictJson.Deserialize(json) is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken) => StoreConnection.OpenAsync(_connectionString, cancellationToken);
}
