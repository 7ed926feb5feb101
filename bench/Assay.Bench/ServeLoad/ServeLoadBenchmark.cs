using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Assay.Bench.Measurement;
using Assay.Core.Evaluation;
using Assay.Core.Problems;
using Assay.Evaluation;
using Assay.Execution.Running;

namespace Assay.Bench.ServeLoad;

internal sealed record ServeLoadOptions(int Requests, int Clients, int LoopsPerMille, double TimeLimitSeconds, int Rounds, int Concurrency,
    double MaxMinutes, bool SkipInProcess);

internal sealed record RoundResult(int Round, double Seconds, double ItemsPerSecond, LatencySummary LatencyMs, int Ok, int MisScored, int Lost,
    int InfraErrors, IReadOnlyDictionary<string, int> HttpErrors, int BackPressureRetries, IReadOnlyDictionary<string, int> StatusCounts,
    long ServerRssKbAfter, string LoadAfter);

internal sealed record ServeLoadResult(ServeLoadOptions Options, MachineInfo Machine, string LoadBefore, long ServerRssKbBefore,
    IReadOnlyList<RoundResult> Rounds, double? InProcessSeconds, double? InProcessItemsPerSecond, int? InProcessMisScored, string LoadAfter);

/// <summary>
/// Reward requests against a real `assay serve` on loopback: many concurrent clients, one item per request (as
/// OpenRLHF and verl's per-sample functions send them), a mix of correct, wrong, looping and memory-hungry
/// completions. Counts every answer against the reward it should have had, and compares throughput with the same
/// items judged in one process by the evaluator (what `assay eval` does).
/// </summary>
internal static partial class ServeLoadBenchmark
{
    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex Listening();

    public static async Task<ServeLoadResult> RunAsync(ServeLoadOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var loadBefore = MachineInfo.ReadLoadAverage();
        var (runner, problem) = ProgramRunner.Create(options.Concurrency);
        if (runner is null) throw new BenchmarkException("sandbox unavailable: " + problem);
        var machine = MachineInfo.Read("bwrap", Environment.UserName == "root");
        var items = LoadItem.Mix(options.Requests, options.LoopsPerMille);
        await log.WriteLineAsync($"serve-load: {items.Count} requests, {options.Clients} clients, mix " +
            string.Join(", ", items.GroupBy(i => i.Kind).Select(g => $"{g.Key} {g.Count()}")) + $", load {loadBefore}");

        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(TimeSpan.FromMinutes(options.MaxMinutes));
        var server = await StartServerAsync(options.Concurrency, budget.Token);
        var rounds = new List<RoundResult>();
        long rssBefore;
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = options.Clients, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = server.Address,
                Timeout = TimeSpan.FromMinutes(5),
            };
            // Warm-up: the first request pays for JIT and the harness's first sandbox.
            await SendAsync(http, new LoadItem(-1, CompletionKind.Correct, "def solve(x):\n    return x * x + 1\n"), options.TimeLimitSeconds, budget.Token);
            rssBefore = Rss(server.Pid);
            for (var round = 1; round <= options.Rounds; round++)
            {
                var result = await RoundAsync(round, http, items, options, server.Pid, log, budget.Token);
                rounds.Add(result);
                await log.WriteLineAsync($"serve-load: round {round}: {result.ItemsPerSecond:F1} items/s, p50 {result.LatencyMs.P50:F0} ms, " +
                    $"p99 {result.LatencyMs.P99:F0} ms, mis-scored {result.MisScored}, lost {result.Lost}, rss {result.ServerRssKbAfter / 1024} MB");
            }
        }
        finally
        {
            await server.StopAsync();
        }

        double? inProcess = null;
        int? inProcessWrong = null;
        if (!options.SkipInProcess)
        {
            using (runner)
            {
                await log.WriteLineAsync("serve-load: the same items in one process (Evaluator, as `assay eval`)...");
                (inProcess, inProcessWrong) = await InProcessAsync(runner, items, options.TimeLimitSeconds, budget.Token);
            }
        }
        else
        {
            runner.Dispose();
        }
        return new ServeLoadResult(options, machine, loadBefore, rssBefore, rounds, inProcess,
            inProcess is { } s ? Math.Round(items.Count / s, 1) : null, inProcessWrong, MachineInfo.ReadLoadAverage());
    }

    private static async Task<RoundResult> RoundAsync(int round, HttpClient http, IReadOnlyList<LoadItem> items, ServeLoadOptions options, int pid,
        TextWriter log, CancellationToken cancellationToken)
    {
        var latencies = new ConcurrentBag<double>();
        var httpErrors = new ConcurrentDictionary<string, int>();
        var statuses = new ConcurrentDictionary<string, int>();
        int ok = 0, wrong = 0, lost = 0, infra = 0, retries = 0, next = -1;
        var clock = Stopwatch.StartNew();
        async Task Client()
        {
            while (true)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= items.Count) return;
                var item = items[i];
                var started = Stopwatch.GetTimestamp();
                var outcome = await SendAsync(http, item, options.TimeLimitSeconds, cancellationToken);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Interlocked.Add(ref retries, outcome.BackPressureRetries);
                if (outcome.Error is { } error)
                {
                    httpErrors.AddOrUpdate(error, 1, (_, n) => n + 1);
                    Interlocked.Increment(ref lost);
                    continue;
                }
                statuses.AddOrUpdate(outcome.Status!, 1, (_, n) => n + 1);
                if (outcome.InfraError) Interlocked.Increment(ref infra);
                else if (outcome.Score is { } score && Math.Abs(score - item.ExpectedScore) < 1e-9) Interlocked.Increment(ref ok);
                else
                {
                    Interlocked.Increment(ref wrong);
                    await log.WriteLineAsync($"serve-load: mis-scored {item.Kind} #{item.Index}: score {outcome.Score}, status {outcome.Status}");
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, options.Clients).Select(_ => Task.Run(Client, cancellationToken)));
        var seconds = clock.Elapsed.TotalSeconds;
        // Let the server settle (background GC) before reading its memory.
        await Task.Delay(2000, cancellationToken);
        return new RoundResult(round, Math.Round(seconds, 2), Math.Round(items.Count / seconds, 1), LatencySummary.Of(latencies), ok, wrong, lost, infra,
            httpErrors, retries, statuses, Rss(pid), MachineInfo.ReadLoadAverage());
    }

    private sealed record Outcome(double? Score, string? Status, bool InfraError, string? Error, int BackPressureRetries);

    /// <summary>One reward request, retried (after Retry-After) on 429/503 as the Python client does; other failures are counted.</summary>
    private static async Task<Outcome> SendAsync(HttpClient http, LoadItem item, double timeLimit, CancellationToken cancellationToken)
    {
        var body = new { items = new[] { new { id = item.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), code = item.Code,
            tests = new { kind = "assert", tests = LoadItem.Tests, entry_point = "solve" } } }, limits = new { time_limit_s = timeLimit } };
        for (var attempt = 0; ; attempt++)
        {
            HttpResponseMessage response;
            try
            {
                response = await http.PostAsJsonAsync("/v1/score", body, cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                return new Outcome(null, null, false, "connection: " + ex.HttpRequestError, attempt);
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return new Outcome(null, null, false, "client timeout", attempt);
            }
            using (response)
            {
                var code = (int)response.StatusCode;
                if (code is 429 or 503 && attempt < 50)
                {
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
                    continue;
                }
                if (code != 200) return new Outcome(null, null, false, "http " + code, attempt);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                var result = json.RootElement.GetProperty("results")[0];
                var score = result.GetProperty("score");
                return new Outcome(score.ValueKind == JsonValueKind.Null ? null : score.GetDouble(), result.GetProperty("status").GetString(),
                    result.GetProperty("infra_error").GetBoolean(), null, attempt);
            }
        }
    }

    private static async Task<(double Seconds, int MisScored)> InProcessAsync(ProgramRunner runner, IReadOnlyList<LoadItem> items, double timeLimit,
        CancellationToken cancellationToken)
    {
        var evaluator = new Evaluator(runner, new NoVerdictStore(), new EvaluationOptions { TimeLimit = TimeSpan.FromSeconds(timeLimit) });
        var samples = items.Select(i => new Sample(LoadItem.Problem.TaskId, i.Index, i.Code, IsSolution: true)).ToList();
        var clock = Stopwatch.StartNew();
        var result = await evaluator.EvaluateAsync([LoadItem.Problem], samples, null, cancellationToken);
        var seconds = clock.Elapsed.TotalSeconds;
        var wrong = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var verdict = result.Samples[i].Verdict;
            var passed = verdict.Passed ? 5 : verdict.Tests.Count(t => t.Passed);
            if (Math.Abs(passed / 5.0 - items[i].ExpectedScore) > 1e-9) wrong++;
        }
        return (Math.Round(seconds, 2), wrong);
    }

    private static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private sealed class ServerProcess(Process process, Uri address)
    {
        public Uri Address { get; } = address;

        public int Pid => process.Id;

        public async Task StopAsync()
        {
            if (!process.HasExited)
            {
                using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await kill.WaitForExitAsync();
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(90));
                try
                {
                    await process.WaitForExitAsync(wait.Token);
                }
                catch (OperationCanceledException)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            process.Dispose();
        }
    }

    private static async Task<ServerProcess> StartServerAsync(int concurrency, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "assay.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { dll, "serve", "--host", "127.0.0.1", "--port", "0", "-j", concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            info.ArgumentList.Add(arg);
        var process = Process.Start(info) ?? throw new BenchmarkException("could not start assay serve");
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null && Listening().Match(e.Data) is { Success: true } m) address.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var first = await Task.WhenAny(address.Task, process.WaitForExitAsync(cancellationToken), Task.Delay(TimeSpan.FromSeconds(60), cancellationToken));
        if (first != address.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            throw new BenchmarkException("assay serve did not start");
        }
        return new ServerProcess(process, await address.Task);
    }
}
