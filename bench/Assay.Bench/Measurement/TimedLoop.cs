using System.Diagnostics;

namespace Assay.Bench.Measurement;

/// <summary>What one timed loop measured: total elapsed time and each run's latency, in milliseconds.</summary>
internal sealed record LoopTiming(int Runs, int Concurrency, double ElapsedMs, double[] LatenciesMs, CpuSnapshot Cpu)
{
    public double RunsPerSecond => Runs / (ElapsedMs / 1000.0);
}

/// <summary>Runs an operation a fixed number of times with a fixed number in flight, timing each and the whole.</summary>
internal static class TimedLoop
{
    /// <summary>
    /// Calls <paramref name="once"/> with run indexes 0..runs-1, at most <paramref name="concurrency"/> at a time:
    /// that many workers each take the next index as soon as their previous run finishes, so the machine is kept
    /// exactly that busy until the last run starts.
    /// </summary>
    public static async Task<LoopTiming> RunAsync(int runs, int concurrency, Func<int, Task> once)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentNullException.ThrowIfNull(once);
        var latencies = new double[runs];
        var next = -1;
        var cpuBefore = CpuSnapshot.Take();
        var start = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, Math.Min(concurrency, runs)).Select(_ => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < runs)
            {
                var t0 = Stopwatch.GetTimestamp();
                await once(index);
                latencies[index] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            }
        }));
        await Task.WhenAll(workers);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        return new LoopTiming(runs, concurrency, elapsed, latencies, CpuSnapshot.Take() - cpuBefore);
    }
}
