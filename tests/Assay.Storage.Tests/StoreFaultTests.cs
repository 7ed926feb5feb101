using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Assay.Storage.Tests;

/// <summary>
/// A store file that cannot be used is refused when it is opened — before any judging — with what is wrong with it,
/// and is left exactly as it was: it used to surface as a raw `SQLite Error 11/26/14` mid-run.
/// </summary>
public sealed class StoreFaultTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ProgramVerdict Verdict(int i) => new() { Status = RunStatus.WrongAnswer, Error = new string('x', 200) + i, TestsTotal = i };

    /// <summary>A closed store of <paramref name="count"/> verdicts, checkpointed into the one file.</summary>
    private async Task<string> WrittenStoreAsync(int count)
    {
        var path = _dir.PathOf($"store-{Guid.NewGuid():N}.db");
        await using (var store = await SqliteVerdictStore.OpenAsync(path))
        {
            for (var i = 0; i < count; i++) store.Put("key-" + i, Verdict(i));
        }
        Assert.False(File.Exists(path + "-wal") && new FileInfo(path + "-wal").Length > 0, "the WAL was not checkpointed on close");
        return path;
    }

    private static async Task<VerdictStoreException> RefusedAsync(string path)
    {
        var before = File.Exists(path) ? File.ReadAllBytes(path) : null;
        var ex = await Assert.ThrowsAsync<VerdictStoreException>(() => SqliteVerdictStore.OpenAsync(path));
        Assert.Contains(path, ex.Message);
        if (before is not null) Assert.Equal(before, File.ReadAllBytes(path)); // never repaired, truncated or deleted
        return ex;
    }

    [Fact]
    public async Task A_text_file_is_not_a_store()
    {
        var path = _dir.PathOf("notes.db");
        File.WriteAllText(path, "these are my notes, not a database\n" + new string('n', 5000));

        var ex = await RefusedAsync(path);

        Assert.Equal(VerdictStoreFault.NotAStore, ex.Fault);
    }

    [Fact]
    public async Task Another_programs_sqlite_file_is_refused_and_gets_no_verdicts_table()
    {
        var path = _dir.PathOf("app.db");
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE people (name TEXT); INSERT INTO people VALUES ('ada');";
            await create.ExecuteNonQueryAsync();
        }

        var ex = await RefusedAsync(path);

        Assert.Equal(VerdictStoreFault.NotAStore, ex.Fault);
        Assert.Contains("people", ex.Message);
    }

    [Fact]
    public async Task A_store_cut_to_half_its_length_is_damaged()
    {
        var path = await WrittenStoreAsync(3000);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var ex = await RefusedAsync(path);

        Assert.Equal(VerdictStoreFault.Damaged, ex.Fault);
    }

    [Fact]
    public async Task A_store_with_overwritten_pages_is_damaged()
    {
        var path = await WrittenStoreAsync(3000);
        var bytes = File.ReadAllBytes(path);
        var random = new Random(11);
        for (var i = bytes.Length / 3; i < bytes.Length / 3 + 3 * 4096; i++) bytes[i] = (byte)random.Next(256);
        File.WriteAllBytes(path, bytes);

        var ex = await RefusedAsync(path);

        Assert.Equal(VerdictStoreFault.Damaged, ex.Fault);
    }

    [Fact]
    public async Task A_directory_is_not_a_store_file()
    {
        var path = _dir.PathOf("a-folder");
        Directory.CreateDirectory(path);

        var ex = await RefusedAsync(path);

        Assert.Equal(VerdictStoreFault.Unwritable, ex.Fault);
        Assert.Contains("directory", ex.Message);
    }

    [Fact]
    public async Task A_store_under_a_regular_file_cannot_be_created()
    {
        var file = _dir.PathOf("plain.txt");
        File.WriteAllText(file, "x");

        var ex = await RefusedAsync(Path.Combine(file, "verdicts.db"));

        Assert.Equal(VerdictStoreFault.Unwritable, ex.Fault);
    }

    [Fact]
    public async Task An_intact_store_still_opens_and_keeps_its_verdicts()
    {
        var path = await WrittenStoreAsync(3000);

        await using var store = await SqliteVerdictStore.OpenAsync(path);

        Assert.Equal(3000, await store.CountAsync());
        Assert.Equal(2999, (await store.GetManyAsync(["key-2999"]))["key-2999"].TestsTotal);
    }

    [Fact]
    public async Task A_row_that_is_not_a_verdict_is_absent_and_not_an_exception()
    {
        var path = await WrittenStoreAsync(10);
        await using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await connection.OpenAsync();
            await using var spoil = connection.CreateCommand();
            spoil.CommandText = "UPDATE verdicts SET verdict = '{not json' WHERE key = 'key-3'";
            await spoil.ExecuteNonQueryAsync();
        }

        await using var store = await SqliteVerdictStore.OpenAsync(path);
        var found = await store.GetManyAsync(["key-3", "key-4"]);

        Assert.False(found.ContainsKey("key-3"));
        Assert.Equal(4, found["key-4"].TestsTotal);
    }
}
