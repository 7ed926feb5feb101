namespace Assay.Bench.Measurement;

/// <summary>Distribution of per-run latencies, in milliseconds (percentiles by nearest rank).</summary>
internal sealed record LatencySummary(double Mean, double Min, double P50, double P90, double P99, double Max)
{
    public static LatencySummary Of(IReadOnlyCollection<double> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count == 0) throw new ArgumentException("no samples", nameof(samples));
        var sorted = samples.Order().ToArray();
        return new LatencySummary(Round(sorted.Average()), Round(sorted[0]), Percentile(sorted, 50), Percentile(sorted, 90),
            Percentile(sorted, 99), Round(sorted[^1]));
    }

    private static double Percentile(double[] sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return Round(sorted[Math.Clamp(rank, 1, sorted.Length) - 1]);
    }

    internal static double Round(double value) => Math.Round(value, 3);
}
