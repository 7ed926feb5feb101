using System.Collections.Concurrent;
using Assay.Core.Evaluation;
using Microsoft.Data.Sqlite;

namespace Assay.Storage.Sqlite;

/// <summary>
/// The default verdict store: one SQLite file (WAL mode), written in batched transactions by a background
/// flusher so that judging never waits on the disk. Killing the process loses at most the last second of
/// verdicts; everything committed is reused by the next run, which is how interrupted evaluations resume.
/// </summary>
public sealed class SqliteVerdictStore : IVerdictStore
{
    private readonly string _connectionString;
    private readonly ConcurrentQueue<(string Key, string Json)> _pending = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Timer _timer;

    private SqliteVerdictStore(string connectionString)
    {
        _connectionString = connectionString;
        _timer = new Timer(_ => _ = FlushQuietlyAsync(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public string Path { get; private init; } = "";

    /// <summary>
    /// Opens (creating if needed) the store at <paramref name="path"/>, checked before any judging starts: a file that
    /// is not one of ours, damaged or unwritable is a <see cref="VerdictStoreException"/> here rather than an SQLite
    /// error mid-run. Another program's SQLite file is refused rather than given a verdicts table.
    /// </summary>
    public static async Task<SqliteVerdictStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        if (Directory.Exists(path)) throw new VerdictStoreException(path, VerdictStoreFault.Unwritable, "it is a directory");
        try
        {
            var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
            if (directory is not null) Directory.CreateDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new VerdictStoreException(path, VerdictStoreFault.Unwritable, "cannot create its folder: " + ex.Message, ex);
        }
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        var store = new SqliteVerdictStore(connectionString) { Path = path };
        try
        {
            await using var connection = await store.ConnectAsync(cancellationToken);
            await RefuseForeignFileAsync(path, connection, cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                CREATE TABLE IF NOT EXISTS verdicts (
                    key TEXT PRIMARY KEY,
                    verdict TEXT NOT NULL,
                    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
                );
                """;
            await command.ExecuteNonQueryAsync(cancellationToken);
            await RefuseDamagedFileAsync(path, connection, cancellationToken);
            return store;
        }
        catch (SqliteException ex)
        {
            await store.DisposeQuietlyAsync();
            // Our statements here are fixed and valid: a generic error (`unsupported file format`) is the file's too.
            throw ex.SqliteErrorCode == 1 ? new VerdictStoreException(path, VerdictStoreFault.Damaged, ex.Message, ex) : Translate(path, ex);
        }
        catch
        {
            await store.DisposeQuietlyAsync();
            throw;
        }
    }

    /// <summary>Every page once (0.1 s for a 130 MB store): a file cut short or overwritten fails here, not after an hour of judging.</summary>
    internal static async Task RefuseDamagedFileAsync(string path, SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var check = connection.CreateCommand();
        check.CommandText = "PRAGMA quick_check(1)";
        if (await check.ExecuteScalarAsync(cancellationToken) is string result && result != "ok")
            throw new VerdictStoreException(path, VerdictStoreFault.Damaged, "SQLite's check: " + result);
    }

    /// <summary>A file of another program (tables, but no verdicts table of ours) is refused, never given a verdicts table.</summary>
    internal static async Task RefuseForeignFileAsync(string path, SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using var tables = connection.CreateCommand();
        tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table'";
        var names = new List<string>();
        await using (var reader = await tables.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) names.Add(reader.GetString(0));
        }
        if (names.Count == 0) return; // new or empty: ours to create
        if (!names.Contains("verdicts"))
            throw new VerdictStoreException(path, VerdictStoreFault.NotAStore, $"an SQLite database with other tables ({string.Join(", ", names.Take(3))}), not Assay's verdicts");
        await using var columns = connection.CreateCommand();
        columns.CommandText = "SELECT name FROM pragma_table_info('verdicts')";
        var present = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await columns.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) present.Add(reader.GetString(0));
        }
        if (!present.Contains("key") || !present.Contains("verdict"))
            throw new VerdictStoreException(path, VerdictStoreFault.NotAStore, "its verdicts table has other columns than Assay's");
    }

    /// <summary>SQLite's error codes, as what they mean for the user's file.</summary>
    internal static Exception Translate(string path, SqliteException ex) => ex.SqliteErrorCode switch
    {
        11 => new VerdictStoreException(path, VerdictStoreFault.Damaged, ex.Message, ex), // SQLITE_CORRUPT
        26 => new VerdictStoreException(path, VerdictStoreFault.NotAStore, "not an SQLite database", ex), // SQLITE_NOTADB
        3 or 8 or 10 or 13 or 14 => new VerdictStoreException(path, VerdictStoreFault.Unwritable, ex.Message, ex), // PERM, READONLY, IOERR, FULL, CANTOPEN
        5 or 6 => new VerdictStoreException(path, VerdictStoreFault.Busy, ex.Message, ex), // BUSY, LOCKED
        _ => ex,
    };

    public async Task<IReadOnlyDictionary<string, ProgramVerdict>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, ProgramVerdict>(StringComparer.Ordinal);
        if (keys.Count == 0) return found;
        try
        {
            await LookUpAsync(keys, found, cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw Translate(Path, ex);
        }
        return found;
    }

    private async Task LookUpAsync(IReadOnlyCollection<string> keys, Dictionary<string, ProgramVerdict> found, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        // Look keys up in chunks, one parameterised IN (...) query each: few round trips for any number of keys.
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            await using var select = connection.CreateCommand();
            var names = new string[chunk.Length];
            for (var i = 0; i < chunk.Length; i++)
            {
                names[i] = "$k" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                select.Parameters.AddWithValue(names[i], chunk[i]);
            }
            select.CommandText = $"SELECT key, verdict FROM verdicts WHERE key IN ({string.Join(',', names)})";
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                if (Readable(reader.GetString(1)) is { } verdict) found[reader.GetString(0)] = verdict;
            }
        }
    }

    /// <summary>A row that does not read back as a verdict (`assay store verify` lists them) is judged again and replaced.</summary>
    private static ProgramVerdict? Readable(string json)
    {
        try
        {
            return VerdictJson.Deserialize(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public void Put(string key, ProgramVerdict verdict) => _pending.Enqueue((key, VerdictJson.Serialize(verdict)));

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_pending.IsEmpty) return;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_pending.IsEmpty) return;
            await WriteDueAsync(cancellationToken);
        }
        catch (SqliteException ex)
        {
            throw Translate(Path, ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task WriteDueAsync(CancellationToken cancellationToken)
    {
        var due = new List<(string Key, string Json)>();
        while (_pending.TryDequeue(out var item)) due.Add(item);
        try
        {
            await using var connection = await ConnectAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT OR REPLACE INTO verdicts (key, verdict) VALUES ($key, $verdict)";
            var key = insert.Parameters.Add("$key", SqliteType.Text);
            var json = insert.Parameters.Add("$verdict", SqliteType.Text);
            foreach (var item in due)
            {
                key.Value = item.Key;
                json.Value = item.Json;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            // A verdict leaves the queue only with its committed transaction: a failed write (a busy or full disk) keeps
            // them for the next flush instead of dropping them.
            foreach (var item in due) _pending.Enqueue(item);
            throw;
        }
    }

    /// <summary>Number of stored verdicts (for reports and tests).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = await ConnectAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM verdicts";
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (SqliteException ex)
        {
            throw Translate(Path, ex);
        }
    }

    private async Task FlushQuietlyAsync()
    {
        try
        {
            await FlushAsync();
        }
        catch (VerdictStoreException)
        {
            // The next flush (or the final one at dispose) retries; the final one reports failure.
        }
    }

    private Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken) => StoreConnection.OpenAsync(_connectionString, cancellationToken);

    /// <summary>Releases a store that failed to open (nothing was queued, so nothing is flushed).</summary>
    private async ValueTask DisposeQuietlyAsync()
    {
        await _timer.DisposeAsync();
        _writeLock.Dispose();
        SqliteConnection.ClearAllPools(); // no pooled handle keeps the refused file open (the user may move it aside next)
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        await FlushAsync();
        _writeLock.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
