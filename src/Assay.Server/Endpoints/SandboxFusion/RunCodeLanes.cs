namespace Assay.Server.Endpoints.SandboxFusion;

/// <summary>
/// What `/run_code` may hold at once. <see cref="Sandboxes"/>: runs in the spare sandboxes beyond the judging ones
/// (<see cref="ServeOptions.RunCodeSandboxes"/>): a run there mostly waits, so they are many, not one per core.
/// <see cref="Compiles"/>: compiles, which are CPU-bound and use the judging sandboxes; they take all but one of
/// those, so a reward item never queues behind a burst of `/run_code` compiles. Past either bound a run waits here,
/// with a deadline.
/// </summary>
public sealed class RunCodeLanes : IDisposable
{
    private readonly SemaphoreSlim _sandboxes;
    private readonly SemaphoreSlim _compiles;

    /// <param name="sandboxes">Spare sandboxes for runs.</param>
    /// <param name="judgingSandboxes">The runner's judging sandboxes (one per core by default).</param>
    public RunCodeLanes(int sandboxes, int judgingSandboxes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sandboxes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(judgingSandboxes, 1);
        Sandboxes = sandboxes;
        // With a single judging sandbox there is nothing to keep back: compiles and reward items share it.
        Compiles = Math.Max(1, judgingSandboxes - 1);
        _sandboxes = new SemaphoreSlim(Sandboxes, Sandboxes);
        _compiles = new SemaphoreSlim(Compiles, Compiles);
    }

    public int Sandboxes { get; }

    public int Compiles { get; }

    public Task<bool> WaitSandboxAsync(TimeSpan timeout, CancellationToken cancellationToken) => _sandboxes.WaitAsync(Clamp(timeout), cancellationToken);

    public void ReleaseSandbox() => _sandboxes.Release();

    public Task<bool> WaitCompileAsync(TimeSpan timeout, CancellationToken cancellationToken) => _compiles.WaitAsync(Clamp(timeout), cancellationToken);

    public void ReleaseCompile() => _compiles.Release();

    public void Dispose()
    {
        _sandboxes.Dispose();
        _compiles.Dispose();
    }

    private static TimeSpan Clamp(TimeSpan timeout) => timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout;
}
