using System.Globalization;
using System.Text;

namespace Assay.Bench.ServeLoad;

/// <summary>The serve-load result for people.</summary>
internal static class ServeLoadText
{
    public static string Render(ServeLoadResult r)
    {
        var text = new StringBuilder();
        var o = r.Options;
        text.AppendLine(CultureInfo.InvariantCulture, $"assay serve under load: {o.Requests} single-item requests from {o.Clients} clients, {o.Rounds} round(s), " +
            $"{o.Concurrency} sandboxes, time limit {o.TimeLimitSeconds} s, {o.LoopsPerMille}‰ loops + {o.LoopsPerMille}‰ memory bombs");
        text.AppendLine(CultureInfo.InvariantCulture, $"machine: {r.Machine.Cores} cores, {r.Machine.CpuModel}; load before {r.LoadBefore}, after {r.LoadAfter}");
        text.AppendLine(CultureInfo.InvariantCulture, $"server RSS after warm-up: {r.ServerRssKbBefore / 1024.0:F0} MB");
        text.AppendLine("round  seconds  items/s  p50 ms   p99 ms   ok      mis-scored  lost  infra  retries(429/503)  RSS after MB  load after");
        foreach (var x in r.Rounds)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{x.Round,5}  {x.Seconds,7:F1}  {x.ItemsPerSecond,7:F1}  {x.LatencyMs.P50,7:F0}  {x.LatencyMs.P99,7:F0}  {x.Ok,6}  {x.MisScored,10}  {x.Lost,4}  {x.InfraErrors,5}  {x.BackPressureRetries,16}  {x.ServerRssKbAfter / 1024.0,12:F0}  {x.LoadAfter}");
            text.AppendLine("       statuses: " + string.Join(", ", x.StatusCounts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}")));
            if (x.HttpErrors.Count > 0) text.AppendLine("       errors: " + string.Join(", ", x.HttpErrors.Select(p => $"{p.Key} {p.Value}")));
        }
        if (r.InProcessItemsPerSecond is { } eval)
        {
            var best = r.Rounds.Max(x => x.ItemsPerSecond);
            text.AppendLine(CultureInfo.InvariantCulture, $"same items in one process (Evaluator, as assay eval): {r.InProcessSeconds:F1} s, {eval:F1} items/s, mis-scored {r.InProcessMisScored}");
            text.AppendLine(CultureInfo.InvariantCulture, $"served / in-process throughput: {best / eval:P0} (best round; target >= 80%)");
        }
        return text.ToString();
    }
}
