using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Assay.Server.Metrics;

/// <summary>
/// The server's counters, gauges and latency histograms, written in Prometheus's text exposition format
/// (version 0.0.4) by hand: a few lines of text do not justify a metrics library.
/// </summary>
public sealed class ServerMetrics
{
    /// <summary>Latency buckets in seconds: a judged item takes from milliseconds to a time limit of seconds.</summary>
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    private readonly ConcurrentDictionary<(string Endpoint, int Code), long> _requests = new();
    private readonly ConcurrentDictionary<string, long> _itemsByStatus = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _rejections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Histogram> _latency = new(StringComparer.Ordinal);
    private long _batches;
    private long _batchedItems;

    /// <summary>Items admitted and waiting for a sandbox (native, OpenRLHF and /run_code).</summary>
    public Func<long> QueueDepth { get; set; } = () => 0;

    /// <summary>Items being judged or programs running right now.</summary>
    public Func<long> InFlight { get; set; } = () => 0;

    public Func<long> QueueCapacity { get; set; } = () => 0;

    public void RequestFinished(string endpoint, int statusCode, TimeSpan elapsed)
    {
        _requests.AddOrUpdate((endpoint, statusCode), 1, (_, n) => n + 1);
        _latency.GetOrAdd(endpoint, _ => new Histogram()).Observe(elapsed.TotalSeconds);
    }

    /// <summary>One judged item or run, by its final status (`ok`, `wrong_answer`, ..., `deadline_exceeded`).</summary>
    public void ItemFinished(string status) => _itemsByStatus.AddOrUpdate(status, 1, (_, n) => n + 1);

    public void Rejected(string reason) => _rejections.AddOrUpdate(reason, 1, (_, n) => n + 1);

    public void BatchJudged(int items)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _batchedItems, items);
    }

    public long ItemsWithStatus(string status) => _itemsByStatus.GetValueOrDefault(status);

    public string ToPrometheusText()
    {
        var text = new StringBuilder();
        Gauge(text, "assay_queue_depth", "Items and runs admitted, waiting for a sandbox.", QueueDepth());
        Gauge(text, "assay_queue_capacity", "Items and runs that may be admitted at once; past it requests get 429.", QueueCapacity());
        Gauge(text, "assay_in_flight", "Items being judged and programs running now.", InFlight());

        text.Append("# HELP assay_requests_total HTTP requests answered, by endpoint and status code.\n# TYPE assay_requests_total counter\n");
        foreach (var ((endpoint, code), n) in _requests.OrderBy(p => p.Key.Endpoint, StringComparer.Ordinal).ThenBy(p => p.Key.Code))
            text.Append(CultureInfo.InvariantCulture, $"assay_requests_total{{endpoint=\"{Escape(endpoint)}\",code=\"{code}\"}} {n}\n");

        text.Append("# HELP assay_runs_total Items judged and programs run, by final status.\n# TYPE assay_runs_total counter\n");
        foreach (var (status, n) in _itemsByStatus.OrderBy(p => p.Key, StringComparer.Ordinal))
            text.Append(CultureInfo.InvariantCulture, $"assay_runs_total{{status=\"{Escape(status)}\"}} {n}\n");

        text.Append("# HELP assay_rejected_total Requests refused by back-pressure, by reason.\n# TYPE assay_rejected_total counter\n");
        foreach (var (reason, n) in _rejections.OrderBy(p => p.Key, StringComparer.Ordinal))
            text.Append(CultureInfo.InvariantCulture, $"assay_rejected_total{{reason=\"{Escape(reason)}\"}} {n}\n");

        text.Append("# HELP assay_batches_total Evaluator calls made by the batching dispatcher.\n# TYPE assay_batches_total counter\n");
        text.Append(CultureInfo.InvariantCulture, $"assay_batches_total {Interlocked.Read(ref _batches)}\n");
        text.Append("# HELP assay_batched_items_total Items judged through those calls.\n# TYPE assay_batched_items_total counter\n");
        text.Append(CultureInfo.InvariantCulture, $"assay_batched_items_total {Interlocked.Read(ref _batchedItems)}\n");

        text.Append("# HELP assay_request_duration_seconds Time from a request's arrival to its answer, by endpoint.\n# TYPE assay_request_duration_seconds histogram\n");
        foreach (var (endpoint, histogram) in _latency.OrderBy(p => p.Key, StringComparer.Ordinal))
            histogram.Write(text, "assay_request_duration_seconds", $"endpoint=\"{Escape(endpoint)}\"");
        return text.ToString();
    }

    private static void Gauge(StringBuilder text, string name, string help, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");

    private static string Escape(string label) => label.Replace("\\", "\\\\", StringComparison.Ordinal)
        .Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Cumulative-bucket histogram; a lock per histogram keeps count, sum and buckets consistent.</summary>
    private sealed class Histogram
    {
        private readonly long[] _counts = new long[Buckets.Length];
        private readonly Lock _lock = new();
        private long _count;
        private double _sum;

        public void Observe(double seconds)
        {
            lock (_lock)
            {
                _count++;
                _sum += seconds;
                for (var i = 0; i < Buckets.Length; i++)
                {
                    if (seconds <= Buckets[i]) _counts[i]++;
                }
            }
        }

        public void Write(StringBuilder text, string name, string labels)
        {
            lock (_lock)
            {
                for (var i = 0; i < Buckets.Length; i++)
                    text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"{Number(Buckets[i])}\"}} {_counts[i]}\n");
                text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"+Inf\"}} {_count}\n");
                text.Append(CultureInfo.InvariantCulture, $"{name}_sum{{{labels}}} {Number(_sum)}\n");
                text.Append(CultureInfo.InvariantCulture, $"{name}_count{{{labels}}} {_count}\n");
            }
        }
    }
}
