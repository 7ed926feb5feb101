using System.Diagnostics;

namespace Assay.Server.Admission;

/// <summary>
/// Bounds the work the server has taken on: items (and `/run_code` runs) are admitted while the total not yet
/// finished stays within the capacity. Past it a request is refused at once with 429 and an estimate of when
/// to come back, and while the server shuts down with 503: a client learns it must wait, instead of waiting
/// into its own timeout.
/// </summary>
public sealed class AdmissionGate
{
    private readonly Lock _lock = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _capacity;
    private long _admitted;
    private long _running;
    private long _completed;
    private long _completedAtSample;
    private double _sampledAtSeconds;
    private double _ratePerSecond;
    private bool _draining;
    private readonly CancellationTokenSource _abandon = new();

    public AdmissionGate(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Capacity => _capacity;

    /// <summary>Admitted and not finished: waiting or running.</summary>
    public long Admitted => Interlocked.Read(ref _admitted);

    /// <summary>Admitted, not yet started.</summary>
    public long Queued => Math.Max(0, Interlocked.Read(ref _admitted) - Interlocked.Read(ref _running));

    public long Running => Interlocked.Read(ref _running);

    public bool IsDraining => Volatile.Read(ref _draining);

    /// <summary>Admits <paramref name="items"/> units of work, or says why not and when to retry.</summary>
    public AdmissionDecision TryAdmit(int items)
    {
        lock (_lock)
        {
            if (_draining) return AdmissionDecision.Refuse(503, RetryAfterSeconds(items), "draining", "the server is shutting down; retry against another instance or after its restart");
            if (items > _capacity)
                return AdmissionDecision.Refuse(413, 0, "too_large", $"{items} items is more than this server ever holds at once ({_capacity}); split the request");
            if (_admitted + items > _capacity)
                return AdmissionDecision.Refuse(429, RetryAfterSeconds(items), "queue_full", $"the queue is full ({_admitted} of {_capacity} items admitted); retry after the Retry-After delay");
            _admitted += items;
            return AdmissionDecision.Accept;
        }
    }

    /// <summary>Some admitted items started running.</summary>
    public void Started(int items) => Interlocked.Add(ref _running, items);

    /// <summary>Admitted items finished (judged, given up, or cancelled); <paramref name="started"/> of them had been started.</summary>
    public void Finished(int items, int started)
    {
        lock (_lock)
        {
            _admitted -= items;
            _running -= started;
            _completed += items;
            SampleRate();
        }
    }

    /// <summary>Refuse everything from now on: the server is shutting down.</summary>
    public void BeginDraining() => Volatile.Write(ref _draining, true);

    /// <summary>
    /// Cancelled when shutdown's drain timeout has passed: admitted work still unfinished is stopped, and each of
    /// its requests answered as not judged (infra errors, 503) instead of being cut off with the connection.
    /// </summary>
    public CancellationToken Abandoned => _abandon.Token;

    /// <summary>Stops the admitted work that is left (see <see cref="Abandoned"/>).</summary>
    public Task AbandonAsync()
    {
        BeginDraining();
        return _abandon.CancelAsync();
    }

    /// <summary>Seconds until enough of the queue should have drained for <paramref name="items"/> more, from the recent completion rate.</summary>
    private int RetryAfterSeconds(int items)
    {
        SampleRate();
        var excess = Math.Max(1, _admitted + items - _capacity);
        var rate = Math.Max(_ratePerSecond, 1.0);
        return (int)Math.Clamp(Math.Ceiling(excess / rate), 1, 60);
    }

    private void SampleRate()
    {
        var now = _clock.Elapsed.TotalSeconds;
        var span = now - _sampledAtSeconds;
        if (span < 1) return;
        var rate = (_completed - _completedAtSample) / span;
        _ratePerSecond = _ratePerSecond == 0 ? rate : 0.5 * _ratePerSecond + 0.5 * rate;
        _completedAtSample = _completed;
        _sampledAtSeconds = now;
    }
}

/// <summary>The gate's answer: admitted, or the HTTP status, Retry-After seconds and message of a refusal.</summary>
public sealed record AdmissionDecision(bool Admitted, int StatusCode, int RetryAfterSeconds, string Reason, string Message)
{
    public static AdmissionDecision Accept { get; } = new(true, 200, 0, "", "");

    public static AdmissionDecision Refuse(int statusCode, int retryAfterSeconds, string reason, string message) =>
        new(false, statusCode, retryAfterSeconds, reason, message);
}
