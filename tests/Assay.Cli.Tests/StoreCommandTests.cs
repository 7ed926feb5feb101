using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Assay.Cli.Tests;

/// <summary>
/// `assay store stats | verify | prune`: results on stdout, errors and the way out on stderr, exit 2 for a damaged
/// or missing store and a bad age — and a store that is not there is never created by looking at it.
/// </summary>
public sealed class StoreCommandTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A closed store: `key-0` … with the given statuses.</summary>
    private async Task<string> StoreAsync(params RunStatus[] statuses)
    {
        var path = _dir.PathOf($"verdicts-{Guid.NewGuid():N}.db");
        await using var store = await SqliteVerdictStore.OpenAsync(path);
        for (var i = 0; i < statuses.Length; i++) store.Put("key-" + i, new ProgramVerdict { Status = statuses[i], Error = new string('e', 100), TestsTotal = i });
        return path;
    }

    private static async Task SqlAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(string path)
    {
        await using var store = await SqliteVerdictStore.OpenAsync(path);
        return await store.CountAsync();
    }

    private static void AssertExit(CliResult run, int code)
    {
        Assert.True(run.ExitCode == code, run.ToString());
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.DoesNotContain("SQLite Error", run.Stderr);
    }

    [Fact]
    public async Task Stats_prints_counts_by_status_on_stdout_as_a_table_or_json()
    {
        var path = await StoreAsync(RunStatus.Ok, RunStatus.Ok, RunStatus.Ok, RunStatus.WrongAnswer, RunStatus.CompileError);

        var table = await AssayCli.RunAsync("store", "stats", "--store", path);
        var json = await AssayCli.RunAsync("store", "stats", "--store", path, "--json");

        AssertExit(table, ExitCodes.Success);
        Assert.Equal("", table.Stderr);
        Assert.Matches(@"verdicts\s*│\s*5\b", table.Stdout);
        Assert.Matches(@"compile_error\s*│\s*1\b", table.Stdout);
        Assert.Contains("store: " + path, table.Stdout);
        AssertExit(json, ExitCodes.Success);
        var report = json.Json();
        Assert.Equal(5, report.GetProperty("verdicts").GetInt64());
        Assert.Equal(3, report.GetProperty("by_status").GetProperty("ok").GetInt64());
        Assert.Equal(1, report.GetProperty("by_status").GetProperty("wrong_answer").GetInt64());
        Assert.Equal(path, report.GetProperty("path").GetString());
        Assert.Equal(new FileInfo(path).Length, report.GetProperty("database_bytes").GetInt64());
    }

    [Fact]
    public async Task Verify_exits_0_for_a_sound_store_and_2_with_the_way_out_for_a_damaged_one()
    {
        var path = await StoreAsync(RunStatus.Ok, RunStatus.WrongAnswer, RunStatus.Ok);

        var sound = await AssayCli.RunAsync("store", "verify", "--store", path);
        await SqlAsync(path, "UPDATE verdicts SET verdict = 'garbage' WHERE key = 'key-1'");
        var damaged = await AssayCli.RunAsync("store", "verify", "--store", path);
        var damagedJson = await AssayCli.RunAsync("store", "verify", "--store", path, "--json");

        AssertExit(sound, ExitCodes.Success);
        Assert.Contains("sound", sound.Stdout);
        Assert.Equal("", sound.Stderr);
        AssertExit(damaged, ExitCodes.BadInput);
        Assert.Contains("1 of 3 verdicts do not read back", damaged.Stdout);
        Assert.Contains("key-1", damaged.Stdout);
        Assert.Contains(path + ": the verdict store is damaged", damaged.Stderr);
        Assert.Contains("move the file aside", damaged.Stderr); // the advice every verb gives for a damaged store
        Assert.DoesNotContain("move the file aside", damaged.Stdout);
        AssertExit(damagedJson, ExitCodes.BadInput);
        Assert.False(damagedJson.Json().GetProperty("sound").GetBoolean());
        Assert.Equal(1, damagedJson.Json().GetProperty("unparsable_verdicts").GetInt64());
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task Verify_finds_overwritten_pages()
    {
        var path = await StoreAsync([.. Enumerable.Repeat(RunStatus.WrongAnswer, 3000)]);
        var bytes = File.ReadAllBytes(path);
        var random = new Random(5);
        for (var i = bytes.Length / 3; i < bytes.Length / 3 + 3 * 4096; i++) bytes[i] = (byte)random.Next(256);
        File.WriteAllBytes(path, bytes);

        var run = await AssayCli.RunAsync("store", "verify", "--store", path);

        AssertExit(run, ExitCodes.BadInput);
        Assert.Contains("damaged", run.Stdout);
        Assert.Contains("move the file aside", run.Stderr);
        Assert.Equal(bytes, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task Prune_says_what_a_dry_run_would_remove_then_removes_only_the_old_verdicts()
    {
        var path = await StoreAsync(RunStatus.Ok, RunStatus.Ok, RunStatus.Ok, RunStatus.Ok, RunStatus.Ok);
        await SqlAsync(path, "UPDATE verdicts SET created_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '-3 days') WHERE key IN ('key-0', 'key-2', 'key-4')");

        var dry = await AssayCli.RunAsync("store", "prune", "--older-than", "2d", "--dry-run", "--store", path);
        var countAfterDry = await CountAsync(path);
        var prune = await AssayCli.RunAsync("store", "prune", "--older-than", "48h", "--store", path, "--json");

        AssertExit(dry, ExitCodes.Success);
        Assert.Contains("would remove 3 of 5 verdicts", dry.Stdout);
        Assert.Equal(5, countAfterDry);
        AssertExit(prune, ExitCodes.Success);
        Assert.Equal(3, prune.Json().GetProperty("removed").GetInt64());
        Assert.Equal(2, prune.Json().GetProperty("kept").GetInt64());
        Assert.True(prune.Json().GetProperty("bytes_after").GetInt64() > 0);
        Assert.Equal("", prune.Stderr);
        Assert.Equal(2, await CountAsync(path));
    }

    [Theory]
    [InlineData("30")]
    [InlineData("0d")]
    [InlineData("-1d")]
    [InlineData("1.5d")]
    [InlineData("30x")]
    [InlineData("d")]
    [InlineData("99999999999999999999d")]
    [InlineData("40000d")]
    public async Task Prune_refuses_an_age_that_is_not_a_positive_whole_number_and_unit(string age)
    {
        var path = await StoreAsync(RunStatus.Ok);
        await SqlAsync(path, "UPDATE verdicts SET created_at = '2000-01-01T00:00:00.000Z'");

        var run = await AssayCli.RunAsync("store", "prune", "--older-than", age, "--store", path);

        AssertExit(run, ExitCodes.BadInput);
        Assert.Contains("--older-than", run.Stderr);
        Assert.Equal("", run.Stdout);
        Assert.Equal(1, await CountAsync(path));
    }

    [Fact]
    public async Task Prune_without_an_age_is_a_usage_error()
    {
        var path = await StoreAsync(RunStatus.Ok);

        var run = await AssayCli.RunAsync("store", "prune", "--store", path);

        AssertExit(run, ExitCodes.BadInput);
        Assert.Contains("--older-than", run.Stderr);
    }

    [Theory]
    [InlineData("stats")]
    [InlineData("verify")]
    [InlineData("prune")]
    public async Task A_missing_store_is_exit_2_and_is_not_created(string verb)
    {
        var path = Path.Combine(_dir.PathOf("no-such-folder"), "verdicts.db");
        string[] args = verb == "prune" ? ["store", verb, "--older-than", "30d", "--store", path] : ["store", verb, "--store", path];

        var run = await AssayCli.RunAsync(args);

        AssertExit(run, ExitCodes.BadInput);
        Assert.Contains(path + ": there is no verdict store there", run.Stderr);
        Assert.Equal("", run.Stdout);
        Assert.False(File.Exists(path));
        Assert.False(Directory.Exists(Path.GetDirectoryName(path)));
    }

    [Fact]
    public async Task A_file_that_is_not_a_store_is_refused_and_left_alone()
    {
        var path = _dir.PathOf("notes.db");
        File.WriteAllText(path, "my notes, not a database\n" + new string('n', 5000));
        var before = File.ReadAllBytes(path);

        var run = await AssayCli.RunAsync("store", "prune", "--older-than", "1s", "--store", path);

        AssertExit(run, ExitCodes.BadInput);
        Assert.Contains("is not an Assay verdict store", run.Stderr);
        Assert.Equal(before, File.ReadAllBytes(path));
    }
}
