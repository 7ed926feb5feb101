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
/// limit) does not hold up the items behind it. On shutdown it finishes every admitted item before it stops.
/// </summary>
public sealed class BatchingDispatcher : BackgroundService
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly JudgeEngine _engine;
    private readonly AdmissionGate _gate;
    private readonly ServerMetrics _metrics;
    private readonly ServeOptions _options;
    private readonly CancellationTokenSource _abort = new();
    private int _runningBatches;

    public BatchingDispatcher(JudgeEngine engine, AdmissionGate gate, ServerMetrics metrics, ServeOptions options)
    {
        _engine = engine;
        _gate = gate;
        _metrics = metrics;
        _options = options;
    }

    /// <summary>
    /// Queues already-admitted items; each task completes with the item's outcome. Items still waiting at
    /// <paramref name="deadline"/> are given up, and so are those whose request was aborted.
    /// </summary>
    public IReadOnlyList<Task<JudgeOutcome>> Submit(IReadOnlyList<JudgeWork> work, DateTimeOffset deadline, CancellationToken requestAborted)
    {
        ArgumentNullException.ThrowIfNull(work);
        var tasks = new List<Task<JudgeOutcome>>(work.Count);
        foreach (var item in work)
        {
            var pending = new Pending(item, deadline, requestAborted);
            tasks.Add(pending.Done.Task);
            if (!_queue.Writer.TryWrite(pending)) Finish(pending, JudgeOutcome.Failed("shutting_down", "the server stopped before this item was judged"), started: false);
        }
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
            var batch = new List<Pending>();
            while (batch.Count < _options.MaxBatchItems && reader.TryRead(out var pending)) batch.Add(pending);
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

    /// <summary>Refuses new work, waits (up to the drain timeout) for admitted work to finish, then stops.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _gate.BeginDraining();
        var until = DateTime.UtcNow + _options.DrainTimeout;
        while (_gate.Admitted > 0 && DateTime.UtcNow < until && !cancellationToken.IsCancellationRequested)
            await Task.Delay(25, CancellationToken.None);
        // Whatever is still running past the drain timeout is stopped; its items are reported as not judged.
        if (_gate.Admitted > 0) await _abort.CancelAsync();
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _abort.Dispose();
        base.Dispose();
    }

    private async Task JudgeBatchAsync(List<Pending> batch)
    {
        var now = DateTimeOffset.UtcNow;
        var live = new List<Pending>(batch.Count);
        foreach (var pending in batch)
        {
            if (pending.Aborted.IsCancellationRequested)
                Finish(pending, JudgeOutcome.Failed("cancelled", "the client went away before this item was judged"), started: false);
            else if (now > pending.Deadline)
                Finish(pending, JudgeOutcome.Failed("deadline_exceeded", "the request's deadline passed before this item reached a sandbox"), started: false);
            else if (_abort.IsCancellationRequested)
                Finish(pending, JudgeOutcome.Failed("shutting_down", "the server stopped before this item was judged"), started: false);
            else
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

    private async Task JudgeGroupAsync(double timeLimitSeconds, long memoryLimitKb, List<Pending> group, int sandboxes)
    {
        try
        {
            // Each item is its own request: equal programs against equal tests are still judged once (content keys).
            var requests = group.Select(p => new JudgeRequest(p.Work.Problem, p.Work.Program)).ToList();
            var pipeline = _engine.PipelineFor(timeLimitSeconds, memoryLimitKb, group.Count, sandboxes);
            // Each item is answered as soon as its own verdict is known, not when the whole group is.
            var result = await pipeline.JudgeAsync(requests, null, (i, judged) => Finish(group[i], JudgeOutcome.Judged(judged.Verdict), started: true), _abort.Token);
            for (var i = 0; i < group.Count; i++) Finish(group[i], JudgeOutcome.Judged(result.Programs[i].Verdict), started: true);
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            foreach (var pending in group) Finish(pending, JudgeOutcome.Failed("shutting_down", "the server stopped while this item was being judged"), started: true);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            foreach (var pending in group) Finish(pending, JudgeOutcome.Failed("internal_error", "judging failed: " + ex.Message), started: true);
        }
    }

    private void Finish(Pending pending, JudgeOutcome outcome, bool started)
    {
        if (!pending.Done.TrySetResult(outcome)) return;
        _gate.Finished(1, started ? 1 : 0);
        _metrics.ItemFinished(outcome.Verdict?.Status.ToWireName() ?? outcome.FailureStatus!);
    }

    private sealed record Pending(JudgeWork Work, DateTimeOffset Deadline, CancellationToken Aborted)
    {
        public TaskCompletionSource<JudgeOutcome> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
