namespace Assay.Server.Judging;

/// <summary>
/// An admitted item on its way through the dispatcher: queued, then running, then done — done exactly once,
/// whichever comes first of its verdict, its request's deadline, its client going away, or shutdown.
/// </summary>
internal sealed class PendingItem(JudgeWork work, DateTimeOffset deadline, CancellationToken aborted)
{
    private const int Queued = 0, Running = 1, Done = 2;
    private int _state;
    private int _counted;

    public JudgeWork Work { get; } = work;

    public DateTimeOffset Deadline { get; } = deadline;

    public CancellationToken Aborted { get; } = aborted;

    public TaskCompletionSource<JudgeOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool IsDone => Volatile.Read(ref _state) == Done;

    public bool IsRunning => Volatile.Read(ref _state) == Running;

    /// <summary>The pipeline call judging it, once it has one.</summary>
    public JudgeGroup? Group { get; private set; }

    /// <summary>Queued → running; false when it was done first (its deadline passed, its client left).</summary>
    public bool TryStart() => Interlocked.CompareExchange(ref _state, Running, Queued) == Queued;

    /// <summary>Done with <paramref name="outcome"/>; returns whether it had started, or null when it was already done.</summary>
    public bool? TryFinish(JudgeOutcome outcome)
    {
        var before = Interlocked.Exchange(ref _state, Done);
        if (before == Done) return null;
        Outcome.SetResult(outcome);
        CountInGroup();
        return before == Running;
    }

    public void JoinGroup(JudgeGroup group)
    {
        Group = group;
        // Either this sees it done, or TryFinish (a full fence too) sees the group.
        Interlocked.MemoryBarrier();
        // Done between starting and joining (its deadline fired): counted now, once.
        if (IsDone) CountInGroup();
    }

    private void CountInGroup()
    {
        if (Group is { } group && Interlocked.Exchange(ref _counted, 1) == 0) group.ItemDone();
    }
}

/// <summary>
/// One pipeline call's items. When every one of them is done before the call ends (each answered at its deadline,
/// or its client gone) the call is cancelled: nobody waits for it, and its sandboxes are wanted by others.
/// </summary>
internal sealed class JudgeGroup(int items, CancellationToken shutdown) : IDisposable
{
    private readonly CancellationTokenSource _cancel = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
    private int _left = items;

    public CancellationToken Token => _cancel.Token;

    public void ItemDone()
    {
        if (Interlocked.Decrement(ref _left) != 0) return;
        try
        {
            _cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The call already ended.
        }
    }

    public void Dispose() => _cancel.Dispose();
}
