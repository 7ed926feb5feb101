using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Assay.Storage.Tests;

/// <summary>
/// `assay store stats | verify | prune` on real store files: the counts are the rows', verify finds damaged pages and
/// rows that are not verdicts, prune removes exactly the old rows (never a concurrent writer's), and no file is
/// created, repaired or deleted.
/// </summary>
public sealed class StoreMaintenanceTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ProgramVerdict Verdict(RunStatus status, int i) => new() { Status = status, Error = new string('x', 200) + i, TestsTotal = i };

    /// <summary>A closed store with the given verdicts under `key-0`, `key-1`, …</summary>
    private async Task<string> StoreOfAsync(IEnumerable<ProgramVerdict> verdicts)
    {
        var path = _dir.PathOf($"store-{Guid.NewGuid():N}.db");
        await using var store = await SqliteVerdictStore.OpenAsync(path);
        var i = 0;
        foreach (var verdict in verdicts) store.Put("key-" + i++, verdict);
        return path;
    }

    private Task<string> StoreOfAsync(int count) => StoreOfAsync(Enumerable.Range(0, count).Select(i => Verdict(RunStatus.WrongAnswer, i)));

    private static async Task SqlAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<HashSet<string>> KeysAsync(string path)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key FROM verdicts";
        var keys = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
        return keys;
    }

    /// <summary>Sets `created_at` of keys key-FROM … key-(TO-1) to DAYS days ago.</summary>
    private static Task AgeAsync(string path, int from, int to, int days) => SqlAsync(path,
        $"UPDATE verdicts SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-{days} days') " +
        $"WHERE CAST(substr(key, 5) AS INTEGER) >= {from} AND CAST(substr(key, 5) AS INTEGER) < {to} AND key LIKE 'key-%'");

    [Fact]
    public async Task Stats_count_the_verdicts_by_status_with_the_oldest_and_newest()
    {
        RunStatus[] statuses = [RunStatus.Ok, RunStatus.Ok, RunStatus.Ok, RunStatus.WrongAnswer, RunStatus.WrongAnswer, RunStatus.TimeLimit];
        var path = await StoreOfAsync(statuses.Select((s, i) => Verdict(s, i)));
        await SqlAsync(path, "UPDATE verdicts SET created_at = '2024-01-02T03:04:05.000Z' WHERE key = 'key-4'");
        await SqlAsync(path, "UPDATE verdicts SET created_at = '2030-06-07T08:09:10.000Z' WHERE key = 'key-1'");
        await SqlAsync(path, "UPDATE verdicts SET verdict = '{not json' WHERE key = 'key-5'");

        var stats = await (await StoreMaintenance.OpenAsync(path)).StatsAsync();

        Assert.Equal(6, stats.Verdicts);
        Assert.Equal("2024-01-02T03:04:05.000Z", stats.Oldest);
        Assert.Equal("2030-06-07T08:09:10.000Z", stats.Newest);
        Assert.Equal(new Dictionary<string, long> { ["ok"] = 3, ["wrong_answer"] = 2, [StoreMaintenance.UnreadableStatus] = 1 },
            stats.ByStatus.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
        Assert.Equal(new FileInfo(path).Length, stats.DatabaseBytes);
        Assert.True(stats.TotalBytes >= stats.DatabaseBytes && stats.DatabaseBytes > 0);
    }

    [Fact]
    public async Task An_intact_store_verifies_as_sound()
    {
        var path = await StoreOfAsync(3000);

        var report = await StoreMaintenance.VerifyAsync(path);

        Assert.True(report.IsSound, string.Join("; ", report.IntegrityErrors));
        Assert.Equal(3000, report.Verdicts);
    }

    [Fact]
    public async Task Verify_finds_overwritten_pages_and_leaves_the_file_as_it_was()
    {
        var path = await StoreOfAsync(3000);
        var bytes = File.ReadAllBytes(path);
        var random = new Random(11);
        for (var i = bytes.Length / 3; i < bytes.Length / 3 + 3 * 4096; i++) bytes[i] = (byte)random.Next(256);
        File.WriteAllBytes(path, bytes);

        var report = await StoreMaintenance.VerifyAsync(path);

        Assert.False(report.IsSound);
        Assert.NotEmpty(report.IntegrityErrors);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Verify_finds_the_rows_that_are_not_verdicts()
    {
        var path = await StoreOfAsync(50);
        await SqlAsync(path, "UPDATE verdicts SET verdict = '{not json' WHERE key = 'key-7'");
        await SqlAsync(path, """UPDATE verdicts SET verdict = '{"status":"exploded"}' WHERE key = 'key-9'""");

        var report = await StoreMaintenance.VerifyAsync(path);

        Assert.False(report.IsSound);
        Assert.Empty(report.IntegrityErrors);
        Assert.Equal(50, report.Verdicts);
        Assert.Equal(2, report.UnparsableVerdicts);
        Assert.Equal(["key-7", "key-9"], report.UnparsableKeys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Prune_removes_exactly_the_verdicts_older_than_the_age_and_a_dry_run_none()
    {
        var path = await StoreOfAsync(100);
        await AgeAsync(path, 0, 40, days: 45);
        await AgeAsync(path, 40, 50, days: 29); // younger than 30 days: stays
        var store = await StoreMaintenance.OpenAsync(path);

        var dry = await store.PruneAsync(TimeSpan.FromDays(30), dryRun: true, DateTimeOffset.UtcNow);
        Assert.Equal((40L, 60L), (dry.Removed, dry.Kept));
        Assert.Equal(100, (await KeysAsync(path)).Count);

        var pruned = await store.PruneAsync(TimeSpan.FromDays(30), dryRun: false, DateTimeOffset.UtcNow);

        Assert.Equal((40L, 60L), (pruned.Removed, pruned.Kept));
        Assert.Equal(Enumerable.Range(40, 60).Select(i => "key-" + i).ToHashSet(), await KeysAsync(path));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Prune_gives_the_space_of_the_removed_verdicts_back()
    {
        var path = await StoreOfAsync(4000);
        await AgeAsync(path, 0, 3600, days: 10);

        var pruned = await (await StoreMaintenance.OpenAsync(path)).PruneAsync(TimeSpan.FromHours(1), dryRun: false, DateTimeOffset.UtcNow);

        Assert.Equal(3600, pruned.Removed);
        Assert.True(pruned.BytesAfter < pruned.BytesBefore / 3, $"{pruned.BytesBefore} → {pruned.BytesAfter} bytes");
        Assert.Equal(pruned.BytesAfter, new FileInfo(path).Length + (File.Exists(path + "-wal") ? new FileInfo(path + "-wal").Length : 0));
        Assert.True((await StoreMaintenance.VerifyAsync(path)).IsSound);
    }

    [Fact]
    public async Task A_prune_while_a_run_writes_the_store_loses_none_of_its_verdicts()
    {
        var path = await StoreOfAsync(3000);
        await AgeAsync(path, 0, 3000, days: 60);
        var expected = new HashSet<string>(StringComparer.Ordinal);
        await using (var writer = await SqliteVerdictStore.OpenAsync(path))
        {
            using var pruneDone = new CancellationTokenSource();
            var started = new TaskCompletionSource();
            var writing = Task.Run(async () =>
            {
                // Keeps writing until well after the prune: new keys, and old keys written again (new again, so kept).
                for (var i = 0; !pruneDone.IsCancellationRequested || i % 400 != 0; i++)
                {
                    writer.Put("new-" + i, Verdict(RunStatus.Ok, i));
                    expected.Add("new-" + i);
                    if (i % 3 == 0)
                    {
                        writer.Put("key-" + i, Verdict(RunStatus.Ok, i));
                        expected.Add("key-" + i);
                    }
                    if (i % 25 == 0) await writer.FlushAsync();
                    if (i == 200) started.SetResult();
                }
            });
            await started.Task;
            var pruned = await (await StoreMaintenance.OpenAsync(path)).PruneAsync(TimeSpan.FromDays(30), dryRun: false, DateTimeOffset.UtcNow);
            await pruneDone.CancelAsync();
            await writing;
            Assert.True(pruned.Removed > 1000, $"removed {pruned.Removed}");
        }

        var left = await KeysAsync(path);

        Assert.Empty(expected.Except(left));
        Assert.Equal(expected.Count, left.Count); // and every old key not written again is gone
    }

    [Fact]
    public async Task A_missing_store_is_reported_and_not_created()
    {
        var path = _dir.PathOf("nothing-here.db");

        await Assert.ThrowsAsync<FileNotFoundException>(() => StoreMaintenance.OpenAsync(path));
        await Assert.ThrowsAsync<FileNotFoundException>(() => StoreMaintenance.VerifyAsync(path));

        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public async Task A_damaged_or_foreign_file_is_refused_as_the_store_refuses_it()
    {
        var damaged = await StoreOfAsync(3000);
        var bytes = File.ReadAllBytes(damaged);
        File.WriteAllBytes(damaged, bytes[..(bytes.Length / 2)]);
        var foreign = _dir.PathOf("app.db");
        await SqlAsync(foreign, "CREATE TABLE people (name TEXT)");

        var cut = await Assert.ThrowsAsync<VerdictStoreException>(() => StoreMaintenance.OpenAsync(damaged));
        var other = await Assert.ThrowsAsync<VerdictStoreException>(() => StoreMaintenance.VerifyAsync(foreign));

        Assert.Equal(VerdictStoreFault.Damaged, cut.Fault);
        Assert.Equal(VerdictStoreFault.NotAStore, other.Fault);
        Assert.Equal(bytes.Length / 2, new FileInfo(damaged).Length);
    }
}
