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

    /// <summary>Opens (creating if needed) the store at <paramref name="path"/>.</summary>
    public static async Task<SqliteVerdictStore> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is not null) Directory.CreateDirectory(directory);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        var store = new SqliteVerdictStore(connectionString) { Path = path };
        await using var connection = await store.ConnectAsync(cancellationToken);
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
        return store;
    }

    public async Task<IReadOnlyDictionary<string, ProgramVerdict>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var found = new Dictionary<string, ProgramVerdict>(StringComparer.Ordinal);
        if (keys.Count == 0) return found;
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
                if (VerdictJson.Deserialize(reader.GetString(1)) is { } verdict) found[reader.GetString(0)] = verdict;
            }
        }
        return found;
    }

    public void Put(string key, ProgramVerdict verdict) => _pending.Enqueue((key, VerdictJson.Serialize(verdict)));

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_pending.IsEmpty) return;
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            if (_pending.IsEmpty) return;
            await using var connection = await ConnectAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT OR REPLACE INTO verdicts (key, verdict) VALUES ($key, $verdict)";
            var key = insert.Parameters.Add("$key", SqliteType.Text);
            var json = insert.Parameters.Add("$verdict", SqliteType.Text);
            while (_pending.TryDequeue(out var item))
            {
                key.Value = item.Key;
                json.Value = item.Json;
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Number of stored verdicts (for reports and tests).</summary>
    public async Task<long> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM verdicts";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task FlushQuietlyAsync()
    {
        try
        {
            await FlushAsync();
        }
        catch (SqliteException)
        {
            // The next flush (or the final one at dispose) retries; the final one reports failure.
        }
    }

    private async Task<SqliteConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 10000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        await _timer.DisposeAsync();
        await FlushAsync();
        _writeLock.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
