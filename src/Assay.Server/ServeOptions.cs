namespace Assay.Server;

/// <summary>How `assay serve` listens, how much work it takes on, and how long it waits.</summary>
public sealed record ServeOptions
{
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>0 picks a free port; the address is printed once listening.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>
    /// Programs judged at once for `/v1/score` and `/get_reward` (default: the number of cores): judged programs
    /// are mostly CPU-bound, and their CPU-time limits and wall-clock backstops assume a core each.
    /// </summary>
    public int Concurrency { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Sandboxes `/run_code` may hold at once, besides the judging ones (default <see cref="DefaultRunCodeSandboxes"/>):
    /// a run there mostly waits (a program sleeping or blocked until its limit, a client sending one request per
    /// test), so its sandboxes are not bounded by cores. Each run's `run_timeout` is a wall-clock limit, as in
    /// SandboxFusion, so many CPU-bound runs at once share the cores and each still ends at its `run_timeout`.
    /// </summary>
    public int RunCodeSandboxes { get; init; } = DefaultRunCodeSandboxes;

    /// <summary>verl's client keeps at most 64 requests in flight by default (`sandbox_fusion.max_concurrent`).</summary>
    public static int DefaultRunCodeSandboxes => Math.Max(64, 4 * Environment.ProcessorCount);

    /// <summary>
    /// Items (native and OpenRLHF) and `/run_code` runs admitted but not finished, at most; past it a request
    /// is refused with 429 and a Retry-After instead of waiting into the client's timeout.
    /// </summary>
    public int MaxQueuedItems { get; init; } = 16_384;

    /// <summary>Items in one native or OpenRLHF request, at most.</summary>
    public int MaxItemsPerRequest { get; init; } = 8_192;

    /// <summary>Request body size, at most (Kestrel answers 413 past it).</summary>
    public long MaxRequestBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How long admitted items are collected before they are judged together.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Items judged in one evaluator call, at most.</summary>
    public int MaxBatchItems { get; init; } = 1_024;

    /// <summary>Deadline of a request that names none: past it, items not yet started are given up (an infra error).</summary>
    public TimeSpan DefaultDeadline { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>
    /// `/run_code`'s deadline for waiting for a sandbox, after which it answers 504: verl's client waits
    /// compile_timeout + run_timeout + 10 s for an answer and retries only a 504, so a run that waited longer than
    /// about 10 s and then used its whole limit would answer a client that has given up (an API error for verl).
    /// </summary>
    public TimeSpan RunCodeQueueDeadline { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>On shutdown, how long admitted work may take to finish before the process stops anyway.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Verdict store (SQLite) to reuse verdicts across requests and restarts; null for none.</summary>
    public string? StorePath { get; init; }

    /// <summary>Checks the values; returns a message naming the first bad one, or null.</summary>
    public string? Validate()
    {
        if (Port is < 0 or > 65535) return "--port must be between 0 and 65535";
        if (Concurrency is < 1 or > 256) return "--concurrency must be between 1 and 256";
        if (RunCodeSandboxes is < 1 or > 1024) return "--run-code-sandboxes must be between 1 and 1024";
        if (MaxQueuedItems < 1) return "--max-queue must be at least 1";
        if (MaxItemsPerRequest < 1) return "--max-items must be at least 1";
        if (MaxRequestBytes < 1024) return "--max-request-mb must be positive";
        if (DefaultDeadline <= TimeSpan.Zero) return "the default deadline must be positive";
        return null;
    }
}
