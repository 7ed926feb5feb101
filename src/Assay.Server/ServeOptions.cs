using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;

namespace Assay.Server;

/// <summary>
/// How `assay serve` listens, how much work it takes on, and how long it waits. Bound from configuration section
/// `Assay` (`Assay:Concurrency`, `Assay:DefaultDeadline` = "00:05:00", ...) and validated when the host starts
/// (<see cref="ServeOptionsValidator"/>); `assay serve`'s flags set the same properties.
/// </summary>
public sealed record ServeOptions
{
    /// <summary>The configuration section the options are bound from.</summary>
    public const string Section = "Assay";

    public string Host { get; set; } = "127.0.0.1";

    /// <summary>0 picks a free port; the address is printed once listening.</summary>
    public int Port { get; set; } = 8080;

    /// <summary>
    /// Programs judged at once for `/v1/score` and `/get_reward` (default: the number of cores): judged programs
    /// are mostly CPU-bound, and their CPU-time limits and wall-clock backstops assume a core each. `/run_code`
    /// compiles (CPU-bound too) use these sandboxes, at most all but one of them, so reward items always have one.
    /// </summary>
    public int Concurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>
    /// Sandboxes `/run_code` may hold at once, besides the judging ones (default <see cref="DefaultRunCodeSandboxes"/>):
    /// a run there mostly waits (a program sleeping or blocked until its limit, a client sending one request per
    /// test), so its sandboxes are not bounded by cores. Each run's `run_timeout` is a wall-clock limit, as in
    /// SandboxFusion, so many CPU-bound runs at once share the cores and each still ends at its `run_timeout`.
    /// </summary>
    public int RunCodeSandboxes { get; set; } = DefaultRunCodeSandboxes;

    /// <summary>verl's client keeps at most 64 requests in flight by default (`sandbox_fusion.max_concurrent`).</summary>
    public static int DefaultRunCodeSandboxes => Math.Max(64, 4 * Environment.ProcessorCount);

    /// <summary>
    /// Items (native and OpenRLHF) and `/run_code` runs admitted but not finished, at most; past it a request
    /// is refused with 429 and a Retry-After instead of waiting into the client's timeout.
    /// </summary>
    public int MaxQueuedItems { get; set; } = 16_384;

    /// <summary>Items in one native or OpenRLHF request, at most.</summary>
    public int MaxItemsPerRequest { get; set; } = 8_192;

    /// <summary>Request body size, at most (Kestrel answers 413 past it).</summary>
    public long MaxRequestBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>
    /// A program's size in UTF-8 bytes, at most (the code given, or the one found in a completion). A larger one is
    /// not run: its item gets status `source_too_large` (score 0, the completion's fault like `no_code`), and
    /// `/run_code` answers 413. The default is far above what a model writes (32k tokens are ~128 KB) and above
    /// the contest judges' own limits (Codeforces 64 KB, AtCoder 512 KiB).
    /// </summary>
    public long MaxSourceBytes { get; set; } = DefaultMaxSourceBytes;

    public const long DefaultMaxSourceBytes = 1024 * 1024;

    /// <summary>How long admitted items are collected before they are judged together.</summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Items judged in one evaluator call, at most.</summary>
    public int MaxBatchItems { get; set; } = 1_024;

    /// <summary>Deadline of a request that names none: past it, items not yet judged (queued or running) are answered `deadline_exceeded` (an infra error).</summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// `/run_code`'s deadline for waiting for a sandbox (and, for a compiled language, a compile slot), after which
    /// it answers 504: verl's client waits compile_timeout + run_timeout + 10 s for an answer and retries only a 504,
    /// so a run that waited longer than about 10 s and then used its whole limit would answer a client that has
    /// given up (an API error for verl).
    /// </summary>
    public TimeSpan RunCodeQueueDeadline { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>On shutdown, how long admitted work may take to finish before the process stops anyway.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Verdict store (SQLite) to reuse verdicts across requests and restarts; null for none.</summary>
    public string? StorePath { get; set; }

    /// <summary>Checks the values; returns a message naming the first bad one, or null.</summary>
    public string? Validate() => Problems().FirstOrDefault();

    /// <summary>Every bad value, each message naming the option as configured (`Assay:Port`) and as a flag (`--port`).</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        void Check(bool ok, string property, string? flag, string rule, object value)
        {
            if (ok) return;
            var name = flag is null ? $"{Section}:{property}" : $"{Section}:{property} ({flag})";
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be {rule}, not {value}"));
        }
        Check(IPAddress.TryParse(Host, out _), nameof(Host), "--host", "an IP address", $"`{Host}`");
        Check(Port is >= 0 and <= 65535, nameof(Port), "--port", "between 0 and 65535", Port);
        Check(Concurrency is >= 1 and <= 256, nameof(Concurrency), "--concurrency", "between 1 and 256", Concurrency);
        Check(RunCodeSandboxes is >= 1 and <= 1024, nameof(RunCodeSandboxes), "--run-code-sandboxes", "between 1 and 1024", RunCodeSandboxes);
        Check(MaxQueuedItems >= 1, nameof(MaxQueuedItems), "--max-queue", "at least 1", MaxQueuedItems);
        Check(MaxItemsPerRequest >= 1, nameof(MaxItemsPerRequest), "--max-items", "at least 1", MaxItemsPerRequest);
        Check(MaxRequestBytes >= 1024, nameof(MaxRequestBytes), "--max-request-mb", "at least 1024 bytes", MaxRequestBytes);
        // Not bounded by the body limit: a body over --max-request-mb is refused whole, first.
        Check(MaxSourceBytes >= 1024, nameof(MaxSourceBytes), "--max-source-kb", "at least 1024 bytes", MaxSourceBytes);
        Check(BatchWindow >= TimeSpan.Zero && BatchWindow <= TimeSpan.FromSeconds(1), nameof(BatchWindow), null, "between 00:00:00 and 00:00:01", BatchWindow);
        Check(MaxBatchItems >= 1, nameof(MaxBatchItems), null, "at least 1", MaxBatchItems);
        Check(DefaultDeadline > TimeSpan.Zero, nameof(DefaultDeadline), null, "positive", DefaultDeadline);
        Check(RunCodeQueueDeadline > TimeSpan.Zero && RunCodeQueueDeadline <= TimeSpan.FromMinutes(10), nameof(RunCodeQueueDeadline), null,
            "positive and at most 00:10:00", RunCodeQueueDeadline);
        Check(DrainTimeout >= TimeSpan.Zero, nameof(DrainTimeout), "--drain-timeout", "zero or positive", DrainTimeout);
        return problems;
    }

    /// <summary>
    /// The options as configuration entries (section `Assay`): options given in code (by `assay serve`) go through
    /// the same binding and start-up validation as configured ones.
    /// </summary>
    internal IEnumerable<KeyValuePair<string, string?>> ToSettings()
    {
        string Key(string property) => Section + ":" + property;
        static string Span(TimeSpan t) => t.ToString("c", CultureInfo.InvariantCulture);
        var ic = CultureInfo.InvariantCulture;
        yield return new(Key(nameof(Host)), Host);
        yield return new(Key(nameof(Port)), Port.ToString(ic));
        yield return new(Key(nameof(Concurrency)), Concurrency.ToString(ic));
        yield return new(Key(nameof(RunCodeSandboxes)), RunCodeSandboxes.ToString(ic));
        yield return new(Key(nameof(MaxQueuedItems)), MaxQueuedItems.ToString(ic));
        yield return new(Key(nameof(MaxItemsPerRequest)), MaxItemsPerRequest.ToString(ic));
        yield return new(Key(nameof(MaxRequestBytes)), MaxRequestBytes.ToString(ic));
        yield return new(Key(nameof(MaxSourceBytes)), MaxSourceBytes.ToString(ic));
        yield return new(Key(nameof(BatchWindow)), Span(BatchWindow));
        yield return new(Key(nameof(MaxBatchItems)), MaxBatchItems.ToString(ic));
        yield return new(Key(nameof(DefaultDeadline)), Span(DefaultDeadline));
        yield return new(Key(nameof(RunCodeQueueDeadline)), Span(RunCodeQueueDeadline));
        yield return new(Key(nameof(DrainTimeout)), Span(DrainTimeout));
        yield return new(Key(nameof(StorePath)), StorePath);
    }
}

/// <summary>Start-up validation of <see cref="ServeOptions"/>: the host does not start with a bad value, and says which.</summary>
internal sealed class ServeOptionsValidator : IValidateOptions<ServeOptions>
{
    public ValidateOptionsResult Validate(string? name, ServeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
