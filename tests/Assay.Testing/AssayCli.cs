using System.Text.Json;
using Assay.Cli;

namespace Assay.Testing;

/// <summary>What one in-process `assay` invocation produced.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>The `--json` report on stdout, parsed; fails the test with both streams when it is not JSON.</summary>
    public JsonElement Json()
    {
        try
        {
            using var doc = JsonDocument.Parse(Stdout);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"stdout is not one JSON object ({ex.Message}).\nexit: {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}");
        }
    }

    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs the real `assay` command line in-process, capturing both streams.</summary>
public static class AssayCli
{
    public static async Task<CliResult> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await AssayApp.RunAsync(args, CliConsole.Capture(stdout, stderr));
        return new CliResult(exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// `assay eval --json` with the results file in <paramref name="dir"/> and either a private store or none,
    /// so a test never reads or writes ~/.cache or the shared data. Asserts exit code 0.
    /// </summary>
    public static async Task<EvalRun> EvalAsync(TempDir dir, string problems, string samples, string? store, params string[] extra)
    {
        var results = dir.PathOf($"results-{Guid.NewGuid():N}.jsonl");
        var args = new List<string> { "eval", "--problems", problems, "--samples", samples, "--json", "--out", results };
        if (store is null) args.Add("--no-store");
        else args.AddRange(["--store", store]);
        args.AddRange(extra);
        var run = await RunAsync([.. args]);
        Assert.True(run.ExitCode == ExitCodes.Success, "assay eval failed: " + run);
        var json = run.Json();
        var lines = File.ReadAllLines(results).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return new EvalRun(run, json, results, lines);
    }
}

/// <summary>A successful `assay eval --json` run: its report and its results file, line by line.</summary>
public sealed record EvalRun(CliResult Cli, JsonElement Report, string ResultsPath, IReadOnlyList<JsonElement> Results)
{
    public int Int(string field) => Report.GetProperty(field).GetInt32();

    public double PassAt(int k) => Report.GetProperty("pass_at_k").GetProperty(k.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetDouble();

    /// <summary>Per sample, in results order: (task_id, completion_id, passed, status).</summary>
    public IReadOnlyList<(string TaskId, int CompletionId, bool Passed, string Status)> Verdicts =>
        Results.Select(r => (r.GetProperty("task_id").GetString()!, r.GetProperty("completion_id").GetInt32(),
            r.GetProperty("passed").GetBoolean(), r.GetProperty("status").GetString()!)).ToList();
}
