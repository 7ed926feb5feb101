using System.Collections;
using System.Reflection;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Storage.Sqlite;

namespace Assay.Storage.Tests;

/// <summary>The verdict store on real SQLite files in a temp directory: what goes in comes out, durably, and nothing else.</summary>
public sealed class SqliteVerdictStoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DbPath => _dir.PathOf("verdicts.db");

    /// <summary>A verdict with every field set away from its default, values that a lossy encoding would change.</summary>
    private static ProgramVerdict Full(RunStatus status = RunStatus.WrongAnswer, int seed = 0) => new()
    {
        Status = status,
        Tests =
        [
            new TestOutcome(true, RunStatus.Ok, null, 0.1 + 0.2 + seed),
            new TestOutcome(false, RunStatus.WrongAnswer, "expected 3, got 4 — «ünïcode» \"quoted\"\n\ttabbed", 1e-7, "[1, [2.5, \"x\"], null]"),
            new TestOutcome(false, RunStatus.TimeLimit, "", double.MaxValue, ""),
        ],
        CpuTimeMs = 123.456789012345 + seed,
        WallTimeMs = 9_876.000_001,
        PeakMemoryKb = 5_000_000_000L + seed, // past int's range
        Error = "Traceback (most recent call last):\n  File \"<stdin>\", line 1\n\u0000 NUL and 🚀",
        TestsTotal = 9 + seed,
        TestsPassed = 3,
        BasePassed = false,
        TestsExcluded = 2,
        Isolated = true,
    };

    /// <summary>Every public property of <paramref name="actual"/> equals <paramref name="expected"/>'s (lists item by item).</summary>
    private static void AssertSameVerdict(ProgramVerdict expected, ProgramVerdict actual)
    {
        foreach (var property in typeof(ProgramVerdict).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var want = property.GetValue(expected);
            var got = property.GetValue(actual);
            if (want is IEnumerable wantItems and not string)
                Assert.True(wantItems.Cast<object?>().SequenceEqual(((IEnumerable)got!).Cast<object?>()), $"{property.Name} differs after the round trip");
            else
                Assert.True(Equals(want, got), $"{property.Name}: expected {want ?? "null"}, got {got ?? "null"}");
        }
    }

    private static async Task<ProgramVerdict?> GetAsync(IVerdictStore store, string key) =>
        (await store.GetManyAsync([key])).GetValueOrDefault(key);

    [Fact]
    public void The_full_verdict_sets_every_field_away_from_its_default()
    {
        // If ProgramVerdict grows a field, this fails until Full() sets it, so the round trip below covers it too.
        var bare = new ProgramVerdict { Status = RunStatus.Ok };
        var full = Full();
        var unset = typeof(ProgramVerdict).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            // Fields that are never stored (a transient verdict is not stored at all) have nothing to round-trip.
            .Where(p => p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null)
            .Where(p => p.GetValue(full) is IEnumerable items and not string ? !items.Cast<object>().Any() : Equals(p.GetValue(full), p.GetValue(bare)))
            .Select(p => p.Name);
        Assert.Empty(unset);
    }

    [Fact]
    public async Task Every_field_of_a_verdict_survives_the_round_trip_through_the_file()
    {
        var verdict = Full();
        await using (var store = await SqliteVerdictStore.OpenAsync(DbPath))
        {
            store.Put("k", verdict);
            await store.FlushAsync();
            AssertSameVerdict(verdict, (await GetAsync(store, "k"))!);
        }
        await using var reopened = await SqliteVerdictStore.OpenAsync(DbPath);
        var read = await GetAsync(reopened, "k");
        Assert.NotNull(read);
        AssertSameVerdict(verdict, read);
        Assert.Equal(verdict.HumanEvalResult, read.HumanEvalResult);
    }

    [Fact]
    public async Task Unset_optional_fields_stay_unset()
    {
        var bare = new ProgramVerdict { Status = RunStatus.Ok };
        await using var store = await SqliteVerdictStore.OpenAsync(DbPath);
        store.Put("bare", bare);
        await store.FlushAsync();

        var read = (await GetAsync(store, "bare"))!;
        AssertSameVerdict(bare, read);
        Assert.Null(read.TestsTotal);
        Assert.Null(read.BasePassed);
        Assert.Null(read.Error);
        Assert.Empty(read.Tests);
    }

    [Fact]
    public async Task Every_status_is_stored_as_itself()
    {
        var statuses = Enum.GetValues<RunStatus>();
        await using var store = await SqliteVerdictStore.OpenAsync(DbPath);
        foreach (var status in statuses) store.Put(status.ToWireName(), Full(status));
        await store.FlushAsync();

        var read = await store.GetManyAsync(statuses.Select(s => s.ToWireName()).ToList());
        Assert.Equal(statuses.Length, read.Count);
        Assert.All(statuses, s => Assert.Equal(s, read[s.ToWireName()].Status));
    }

    [Fact]
    public async Task Many_keys_come_back_in_one_call_each_with_its_own_verdict()
    {
        // More than one lookup chunk (500 keys), keys that look like SQL or hold odd characters, and keys never stored.
        const int count = 1_234;
        string Key(int i) => i % 3 == 0 ? $"key'{i}\"; DROP TABLE verdicts; --" : $"sha256:{i:x64}/ü/{i}";
        await using var store = await SqliteVerdictStore.OpenAsync(DbPath);
        for (var i = 0; i < count; i++) store.Put(Key(i), Full(seed: i));
        await store.FlushAsync();

        var asked = Enumerable.Range(0, count).Select(Key).Concat(["absent-1", "absent-2", Key(7)]).ToList();
        var read = await store.GetManyAsync(asked);

        Assert.Equal(count, read.Count);
        Assert.Equal(count, await store.CountAsync());
        for (var i = 0; i < count; i++) AssertSameVerdict(Full(seed: i), read[Key(i)]);
        Assert.False(read.ContainsKey("absent-1"));
    }

    [Fact]
    public async Task A_key_never_stored_is_absent()
    {
        await using var store = await SqliteVerdictStore.OpenAsync(DbPath);
        Assert.Empty(await store.GetManyAsync(["never"]));
        Assert.Empty(await store.GetManyAsync([]));

        store.Put("stored", Full());
        await store.FlushAsync();
        var read = await store.GetManyAsync(["never", "stored", "Stored", "stored ", ""]);
        // Keys match exactly: no case folding, no trimming, no prefix match.
        Assert.Equal(["stored"], read.Keys);
    }

    [Fact]
    public async Task Putting_a_key_again_replaces_its_verdict()
    {
        await using var store = await SqliteVerdictStore.OpenAsync(DbPath);
        store.Put("k", Full(RunStatus.TimeLimit));
        await store.FlushAsync();
        store.Put("k", Full(RunStatus.Ok));
        await store.FlushAsync();

        Assert.Equal(RunStatus.Ok, (await GetAsync(store, "k"))!.Status);
        Assert.Equal(1, await store.CountAsync());
    }

    [Fact]
    public async Task A_flushed_verdict_is_in_the_file_for_another_store_at_once()
    {
        await using var writer = await SqliteVerdictStore.OpenAsync(DbPath);
        writer.Put("k", Full());
        await writer.FlushAsync();

        // Still open: what FlushAsync committed is on disk, not in the writer's memory.
        await using var reader = await SqliteVerdictStore.OpenAsync(DbPath);
        AssertSameVerdict(Full(), (await GetAsync(reader, "k"))!);
    }

    [Fact]
    public async Task Disposing_flushes_what_was_put_and_a_reopened_store_has_it()
    {
        await using (var store = await SqliteVerdictStore.OpenAsync(DbPath))
        {
            for (var i = 0; i < 50; i++) store.Put($"k{i}", Full(seed: i));
        }

        await using var reopened = await SqliteVerdictStore.OpenAsync(DbPath);
        Assert.Equal(50, await reopened.CountAsync());
        AssertSameVerdict(Full(seed: 49), (await GetAsync(reopened, "k49"))!);
    }

    [Fact]
    public async Task Puts_are_flushed_in_the_background_without_a_call()
    {
        await using var writer = await SqliteVerdictStore.OpenAsync(DbPath);
        await using var reader = await SqliteVerdictStore.OpenAsync(DbPath);
        writer.Put("k", Full());

        // The store flushes about once a second on its own; a loaded machine gets ten.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        ProgramVerdict? seen = null;
        while (seen is null && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            seen = await GetAsync(reader, "k");
        }
        Assert.NotNull(seen);
        AssertSameVerdict(Full(), seen);
    }

    [Fact]
    public async Task Two_stores_on_one_file_write_and_read_at_the_same_time()
    {
        const int perStore = 400;
        await using var first = await SqliteVerdictStore.OpenAsync(DbPath);
        await using var second = await SqliteVerdictStore.OpenAsync(DbPath);

        async Task WriteAsync(SqliteVerdictStore store, string prefix)
        {
            for (var i = 0; i < perStore; i++)
            {
                store.Put($"{prefix}{i}", Full(seed: i));
                // Flush often, and read while the other store writes, so the two transactions overlap.
                if (i % 20 == 19)
                {
                    await store.FlushAsync();
                    Assert.Equal(20, (await store.GetManyAsync(Enumerable.Range(i - 19, 20).Select(j => $"{prefix}{j}").ToList())).Count);
                }
            }
            await store.FlushAsync();
        }
        await Task.WhenAll(Task.Run(() => WriteAsync(first, "a")), Task.Run(() => WriteAsync(second, "b")));

        var all = Enumerable.Range(0, perStore).SelectMany(i => new[] { $"a{i}", $"b{i}" }).ToList();
        var seenByFirst = await first.GetManyAsync(all);
        var seenBySecond = await second.GetManyAsync(all);
        Assert.Equal(2 * perStore, seenByFirst.Count);
        Assert.Equal(2 * perStore, seenBySecond.Count);
        AssertSameVerdict(Full(seed: 123), seenByFirst["b123"]);
        AssertSameVerdict(Full(seed: 321), seenBySecond["a321"]);
        Assert.Equal(2 * perStore, await first.CountAsync());
    }

    [Fact]
    public async Task Opening_creates_the_file_and_its_missing_directories()
    {
        var path = _dir.PathOf(Path.Combine("not", "yet", "there", "verdicts.db"));
        await using (var store = await SqliteVerdictStore.OpenAsync(path))
        {
            Assert.Equal(0, await store.CountAsync());
            store.Put("k", Full());
        }

        Assert.True(File.Exists(path));
        await using var reopened = await SqliteVerdictStore.OpenAsync(path);
        Assert.Equal(1, await reopened.CountAsync());
    }
}
