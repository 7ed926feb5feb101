using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Assay.Core.Evaluation;
using Assay.Storage.Sqlite;
using Spectre.Console;

namespace Assay.Cli.Commands;

/// <summary>
/// `assay store stats | verify | prune`: the verdict store grows forever, so these show what it holds, check it
/// and drop old verdicts. Each works on an existing store only (a missing one is exit 2, never created empty) and
/// none deletes or repairs the file; a damaged store gets the advice every verb gives (AssayApp's handler).
/// </summary>
internal static partial class StoreCommand
{
    /// <summary>The longest age `--older-than` takes (100 years): beyond it the cutoff leaves the calendar.</summary>
    private static readonly TimeSpan LongestAge = TimeSpan.FromDays(36500);

    public static Command Build(CliConsole console)
    {
        var command = new Command("store", "Look after the verdict store: what it holds, whether it is sound, drop old verdicts.");

        var (statsStore, statsJson) = (StoreOption(), JsonOption());
        var stats = new Command("stats", "Path, size, number of verdicts, their age and statuses.") { statsStore, statsJson };
        stats.SetAction((parse, ct) => Stats(console, PathOf(parse.GetValue(statsStore)), parse.GetValue(statsJson), ct));

        var (verifyStore, verifyJson) = (StoreOption(), JsonOption());
        var verify = new Command("verify", "SQLite's integrity check and every stored verdict read back; exit 2 when damaged.") { verifyStore, verifyJson };
        verify.SetAction((parse, ct) => Verify(console, PathOf(parse.GetValue(verifyStore)), parse.GetValue(verifyJson), ct));

        var (pruneStore, pruneJson) = (StoreOption(), JsonOption());
        var olderThan = new Option<string>("--older-than") { Description = "Remove verdicts stored longer ago than this: 30d, 12h, 90m, 45s.", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only say how many verdicts would be removed." };
        var prune = new Command("prune", "Remove verdicts older than an age and give their space back.") { olderThan, dryRun, pruneStore, pruneJson };
        prune.SetAction((parse, ct) => Prune(console, PathOf(parse.GetValue(pruneStore)), parse.GetValue(olderThan)!, parse.GetValue(dryRun), parse.GetValue(pruneJson), ct));

        command.Subcommands.Add(stats);
        command.Subcommands.Add(verify);
        command.Subcommands.Add(prune);
        return command;
    }

    private static Option<FileInfo?> StoreOption() => new("--store") { Description = "Verdict store (default ~/.cache/assay/verdicts.db)." };

    private static Option<bool> JsonOption() => new("--json") { Description = "Print one JSON object." };

    private static string PathOf(FileInfo? store) => store?.FullName ?? CommandDefaults.StorePath();

    private static async Task<int> Stats(CliConsole console, string path, bool json, CancellationToken cancellationToken)
    {
        if (await OpenAsync(console, path, cancellationToken) is not { } store) return ExitCodes.BadInput;
        var s = await store.StatsAsync(cancellationToken);
        var byStatus = s.ByStatus.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToList();
        if (json)
        {
            await WriteJson(console, new Dictionary<string, object?>
            {
                ["path"] = s.Path,
                ["database_bytes"] = s.DatabaseBytes,
                ["wal_bytes"] = s.WalBytes,
                ["total_bytes"] = s.TotalBytes,
                ["verdicts"] = s.Verdicts,
                ["oldest"] = s.Oldest,
                ["newest"] = s.Newest,
                ["by_status"] = byStatus.ToDictionary(p => p.Key, p => p.Value),
            });
            return ExitCodes.Success;
        }
        var table = new Table().AddColumns("", "").HideHeaders();
        table.AddRow("verdicts", Count(s.Verdicts));
        table.AddRow("oldest", Markup.Escape(s.Oldest ?? "-"));
        table.AddRow("newest", Markup.Escape(s.Newest ?? "-"));
        table.AddRow("size", $"{Bytes(s.TotalBytes)} (database {Bytes(s.DatabaseBytes)}, WAL {Bytes(s.WalBytes)})");
        foreach (var (status, count) in byStatus) table.AddRow(Markup.Escape(status), Count(count));
        console.Ui.Write(table);
        // Below the table, not in a cell: a long path would be wrapped mid-word to fit the column.
        console.Ui.WriteLine("store: " + s.Path);
        return ExitCodes.Success;
    }

    private static async Task<int> Verify(CliConsole console, string path, bool json, CancellationToken cancellationToken)
    {
        StoreVerification v;
        try
        {
            v = await StoreMaintenance.VerifyAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return await Missing(console, path);
        }
        if (json)
        {
            await WriteJson(console, new Dictionary<string, object?>
            {
                ["path"] = v.Path,
                ["sound"] = v.IsSound,
                ["verdicts"] = v.Verdicts,
                ["integrity_errors"] = v.IntegrityErrors,
                ["unparsable_verdicts"] = v.UnparsableVerdicts,
                ["unparsable_keys"] = v.UnparsableKeys,
            });
        }
        else
        {
            console.Ui.WriteLine(v.IsSound
                ? $"sound: SQLite's integrity check passed and all {Count(v.Verdicts)} verdicts read back"
                : $"damaged: {Problems(v.IntegrityErrors.Count)} in SQLite's integrity check, {Count(v.UnparsableVerdicts)} of {Count(v.Verdicts)} verdicts do not read back");
            foreach (var error in v.IntegrityErrors.Take(10)) console.Ui.WriteLine("  page check: " + error);
            if (v.IntegrityErrors.Count > 10) console.Ui.WriteLine($"  … and {v.IntegrityErrors.Count - 10} more");
            foreach (var key in v.UnparsableKeys) console.Ui.WriteLine("  not a verdict: key " + key);
            console.Ui.WriteLine("store: " + v.Path);
        }
        if (v.IsSound) return ExitCodes.Success;
        // The report is on stdout; the fault and its way out go where every verb reports a damaged store.
        throw new VerdictStoreException(path, VerdictStoreFault.Damaged,
            $"{Problems(v.IntegrityErrors.Count)} in SQLite's integrity check, {v.UnparsableVerdicts} verdicts that do not read back");
    }

    private static async Task<int> Prune(CliConsole console, string path, string olderThan, bool dryRun, bool json, CancellationToken cancellationToken)
    {
        if (!TryParseAge(olderThan, out var age))
        {
            await console.Error.WriteLineAsync($"assay: --older-than must be a positive age in whole seconds, minutes, hours or days (30d, 12h, 90m, 45s; at most {LongestAge.TotalDays:F0}d), not '{olderThan}'");
            return ExitCodes.BadInput;
        }
        if (await OpenAsync(console, path, cancellationToken) is not { } store) return ExitCodes.BadInput;
        var p = await store.PruneAsync(age, dryRun, DateTimeOffset.UtcNow, cancellationToken);
        if (json)
        {
            await WriteJson(console, new Dictionary<string, object?>
            {
                ["path"] = p.Path,
                ["older_than"] = olderThan,
                ["cutoff"] = p.Cutoff,
                ["dry_run"] = p.DryRun,
                [p.DryRun ? "would_remove" : "removed"] = p.Removed,
                ["kept"] = p.Kept,
                ["bytes_before"] = p.BytesBefore,
                ["bytes_after"] = p.BytesAfter,
            });
            return ExitCodes.Success;
        }
        console.Ui.WriteLine(p.DryRun
            ? $"would remove {Count(p.Removed)} of {Count(p.Removed + p.Kept)} verdicts (stored before {p.Cutoff}, older than {olderThan}); nothing was changed"
            : $"removed {Count(p.Removed)} verdicts stored before {p.Cutoff} (older than {olderThan}); {Count(p.Kept)} kept");
        console.Ui.WriteLine(p.DryRun ? $"size: {Bytes(p.BytesBefore)}" : $"size: {Bytes(p.BytesBefore)} before, {Bytes(p.BytesAfter)} after");
        console.Ui.WriteLine("store: " + p.Path);
        return ExitCodes.Success;
    }

    /// <summary>The store, or null after saying that there is none (exit 2: nothing is created where it was looked for).</summary>
    private static async Task<StoreMaintenance?> OpenAsync(CliConsole console, string path, CancellationToken cancellationToken)
    {
        try
        {
            return await StoreMaintenance.OpenAsync(path, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            await Missing(console, path);
            return null;
        }
    }

    private static async Task<int> Missing(CliConsole console, string path)
    {
        await console.Error.WriteLineAsync($"assay: {path}: there is no verdict store there (`assay eval` creates it on its first run; give --store PATH for another)");
        return ExitCodes.BadInput;
    }

    /// <summary>`30d`, `12h`, `90m`, `45s`: a whole positive number and a unit, up to <see cref="LongestAge"/>.</summary>
    internal static bool TryParseAge(string text, out TimeSpan age)
    {
        age = TimeSpan.Zero;
        var match = AgePattern().Match(text ?? "");
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1) return false;
        var unitSeconds = match.Groups[2].Value switch { "s" => 1L, "m" => 60L, "h" => 3600L, _ => 86400L };
        if (n > (long)LongestAge.TotalSeconds / unitSeconds) return false;
        age = TimeSpan.FromSeconds(n * unitSeconds);
        return true;
    }

    [GeneratedRegex(@"^\s*([0-9]+)\s*([smhd])\s*$")]
    private static partial Regex AgePattern();

    private static Task WriteJson(CliConsole console, Dictionary<string, object?> obj) =>
        console.Out.WriteLineAsync(JsonSerializer.Serialize(obj, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Problems(int n) => n == 1 ? "1 problem" : $"{n} problems";

    /// <summary>`812 B`, `4.0 KB`, `130.2 MB`: binary units with one decimal.</summary>
    internal static string Bytes(long bytes)
    {
        string[] units = ["KB", "MB", "GB", "TB"];
        if (bytes < 1024) return bytes.ToString(CultureInfo.InvariantCulture) + " B";
        var value = (double)bytes;
        var unit = -1;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }
        return value.ToString("F1", CultureInfo.InvariantCulture) + " " + units[unit];
    }
}
