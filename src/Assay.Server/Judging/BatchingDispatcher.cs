using System.Threading.Channels;
using Assay.Core.Execution;
using Assay.Evaluation.Pipeline;
using Assay.Server.Admission;
using Assay.Server.Metrics;

namespace Assay.Server.Judging;

/// <summary>
/// Collects admitted items for a few milliseconds and judges them together through one pipeline call, so that
/// hundreds of concurrent single-item requests still share batched sandboxes (the Python harness judges many
/// candidates per sandbox). A few batches run at once, so one slow batch (a candidate looping until its time
/// limit) does not hold up the items behind it. Each item is answered as soon as it is done: its verdict, its
/// request's deadline (queued or running), its client gone. On shutdown it finishes every admitted item before it stops.
/// </summary>
public sealed class BatchingDispatcher : BackgroundService, IHostedLifecycleService
{
    /// <summary>After the drain timeout, how long stopped work may take to be answered before the web server closes.</summary>
    private static readonly TimeSpan AnswerGrace = TimeSpan.FromSeconds(5);

    // Two readers: the batching loop, and the abandonment that answers what is still queued.
    private readonly Channel<PendingItem> _queue = Channel.CreateUnbounded<PendingItem>();
    private readonly JudgeEngine _engine;
    private readonly AdmissionGate _gate;
    private readonly ServerMetrics _metrics;
    private readonly ServeOptions _options;
    private readonly ILogger<BatchingDispatcher> _logger;
    private readonly CancellationToken _abort;
    private int _runningBatches;

    public BatchingDispatcher(JudgeEngine engine, AdmissionGate gate, ServerMetrics metrics, ServeOptions options, ILogger<BatchingDispatcher> logger)
    {
        _engine = engine;
        _gate = gate;
        _metrics = metrics;
        _options = options;
        _logger = logger;
        _abort = gate.Abandoned;
        // Items still queued when the drain timeout passes are answered at once, not when a batch slot frees.
        _abort.Register(() =>
        {
            while (_queue.Reader.TryRead(out var pending)) Finish(pending, JudgeOutcome.Failed("shutting_down", "the server stopped before this item was judged"));
        });
    }

    /// <summary>
    /// Queues already-admitted items; each task completes with the item's outcome. Items not judged by
    /// <paramref name="deadline"/>, queued or running, are answered `deadline_exceeded` then; those whose request
    /// was aborted, `cancelled`.
    /// </summary>
    public IReadOnlyList<Task<JudgeOutcome>> Submit(IReadOnlyList<JudgeWork> work, DateTimeOffset deadline, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(work);
        var pending = work.Select(item => new PendingItem(item, deadline, requestAborted)).ToList();
        var tasks = pending.Select(p => p.Outcome.Task).ToList();
        foreach (var item in pending)
        {
            if (!_queue.Writer.TryWrite(item)) Finish(item, JudgeOutcome.Failed("shutting_down", "the server stopped before this item was judged"));
        }
        // The deadline is kept by a timer, not checked when a batch starts: an item of a batch that started before
        // it, or still queued behind a long one, is answered at the deadline all the same.
        var left = deadline - DateTimeOffset.UtcNow;
        var timer = new CancellationTokenSource(left <= TimeSpan.Zero ? TimeSpan.Zero : left > TimeSpan.FromDays(20) ? Timeout.InfiniteTimeSpan : left);
        var onDeadline = timer.Token.Register(() =>
        {
            foreach (var item in pending)
            {
                Finish(item, JudgeOutcome.Failed("deadline_exceeded", item.IsRunning
                    ? "the request's deadline passed while this item was being judged"
                    : "the request's deadline passed before this item reached a sandbox"));
            }
        });
        var onAbort = requestAborted.Register(() =>
        {
            foreach (var item in pending) Finish(item, JudgeOutcome.Failed("cancelled", "the client went away before this item was judged"));
        });
        _ = Task.WhenAll(tasks).ContinueWith(_ =>
        {
            onAbort.Dispose();
            onDeadline.Dispose();
            timer.Dispose();
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return tasks;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var slots = new SemaphoreSlim(_engine.Runner.Concurrency + 1);
        var running = new List<Task>();
        // Ends when the queue is completed (after draining), not when stopping starts: admitted work is finished.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            await Task.Delay(_options.BatchWindow, CancellationToken.None);
            await slots.WaitAsync(CancellationToken.None);
            var batch = new List<PendingItem>();
            while (batch.Count < _options.MaxBatchItems && reader.TryRead(out var pending))
            {
                // Answered while queued (deadline, client gone): nothing left to do for it.
                if (!pending.IsDone) batch.Add(pending);
            }
            if (batch.Count == 0)
            {
                slots.Release();
                continue;
            }
            running.RemoveAll(t => t.IsCompleted);
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await JudgeBatchAsync(batch);
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None));
        }
        await Task.WhenAll(running);
    }

    /// <summary>
    /// Shutdown, before the web server stops (lifecycle "stopping" comes before any service's StopAsync): new work
    /// is refused (503), admitted work gets up to the drain timeout to finish, and what is left then is stopped and
    /// answered as not judged. Only then does Kestrel close, with every admitted request answered: closing it first
    /// (the hosted services' StopAsync order) reset every connection still waiting at the host's shutdown timeout.
    /// </summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _gate.BeginDraining();
        var until = DateTime.UtcNow + _options.DrainTimeout;
        while (_gate.Admitted > 0 && DateTime.UtcNow < until && !cancellationToken.IsCancellationRequested)
            await Task.Delay(25, CancellationToken.None);
        if (_gate.Admitted == 0) return;
        _logger.LogWarning("assay serve: the drain timeout ({Seconds} s) has passed with {Items} admitted items unfinished; they are stopped and answered as not judged",
            _options.DrainTimeout.TotalSeconds, _gate.Admitted);
        await _gate.AbandonAsync();
        var grace = DateTime.UtcNow + AnswerGrace;
        while (_gate.Admitted > 0 && DateTime.UtcNow < grace) await Task.Delay(25, CancellationToken.None);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task JudgeBatchAsync(List<PendingItem> batch)
    {
        var now = DateTimeOffset.UtcNow;
        var live = new List<PendingItem>(batch.Count);
        foreach (var pending in batch)
        {
            if (pending.Aborted.IsCancellationRequested)
                Finish(pending, JudgeOutcome.Failed("cancelled", "the client went away before this item was judged"));
            else if (now > pending.Deadline)
                Finish(pending, JudgeOutcome.Failed("deadline_exceeded", "the request's deadline passed before this item reached a sandbox"));
            else if (_abort.IsCancellationRequested)
                Finish(pending, JudgeOutcome.Failed("shutting_down", "the server stopped before this item was judged"));
            else if (pending.TryStart())
                live.Add(pending);
        }
        if (live.Count == 0) return;
        _gate.Started(live.Count);
        _metrics.BatchJudged(live.Count);
        var others = Interlocked.Increment(ref _runningBatches) - 1;
        try
        {
            // One pipeline call per distinct time and memory limit; they run side by side, sharing the sandboxes other batches leave.
            var sandboxes = Math.Max(1, _engine.Runner.Concurrency - others);
            await Task.WhenAll(live.GroupBy(p => (p.Work.TimeLimitSeconds, p.Work.MemoryLimitKb))
                .Select(g => JudgeGroupAsync(g.Key.TimeLimitSeconds, g.Key.MemoryLimitKb, g.ToList(), sandboxes)));
        }
        finally
        {
            Interlocked.Decrement(ref _runningBatches);
        }
    }

    private async Task JudgeGroupAsync(double timeLimitSeconds, long memoryLimitKb, List<PendingItem> items, int sandboxes)
    {
        using var group = new JudgeGroup(items.Count, _abort);
        foreach (var pending in items) pending.JoinGroup(group);
        try
        {
            // Each item is its own request: equal programs against equal tests are still judged once (content keys).
            var requests = items.Select(p => new JudgeRequest(p.Work.Problem, p.Work.Program)).ToList();
            var pipeline = _engine.PipelineFor(timeLimitSeconds, memoryLimitKb, items.Count, sandboxes);
            // Each item is answered as soon as its own verdict is known, not when the whole group is.
            var result = await pipeline.JudgeAsync(requests, null, (i, judged) => Finish(items[i], JudgeOutcome.Judged(judged.Verdict)), group.Token);
            for (var i = 0; i < items.Count; i++) Finish(items[i], JudgeOutcome.Judged(result.Programs[i].Verdict));
        }
        catch (OperationCanceledException) when (group.Token.IsCancellationRequested)
        {
            // Cancelled because every item was answered already (then these are no-ops), or for shutdown.
            foreach (var pending in items) Finish(pending, JudgeOutcome.Failed("shutting_down", "the server stopped while this item was being judged"));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            foreach (var pending in items) Finish(pending, JudgeOutcome.Failed("internal_error", "judging failed: " + ex.Message));
        }
    }

    private void Finish(PendingItem pending, JudgeOutcome outcome)
    {
        if (pending.TryFinish(outcome) is not { } started) return;
        _gate.Finished(1, started ? 1 : 0);
        _metrics.ItemFinished(outcome.Verdict?.Status.ToWireName() ?? outcome.FailureStatus!);
    }
}
