using Microsoft.Data.Sqlite;

namespace Assay.Storage.Sqlite;

/// <summary>A connection to a store file, as every user of the store opens one.</summary>
internal static class StoreConnection
{
    /// <summary>Opens it with a 10 s busy timeout: a concurrent run's write is waited for, not an SQLITE_BUSY failure.</summary>
    public static async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 10000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }
}
