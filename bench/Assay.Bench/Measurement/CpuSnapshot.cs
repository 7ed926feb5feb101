namespace Assay.Bench.Measurement;

/// <summary>
/// CPU time consumed so far, in milliseconds: by this process, by its children that have been reaped (which is
/// exactly the bare runs: the sandbox's supervisors live until the end), and by the whole machine (every process
/// and kernel thread, so other work running at the same time shows up here too).
/// </summary>
internal sealed record CpuSnapshot(double SelfMs, double ReapedChildrenMs, double MachineBusyMs)
{
    /// <summary>Linux reports these counters in USER_HZ ticks, which the ABI fixes at 100 per second.</summary>
    private const double MsPerTick = 10.0;

    public static CpuSnapshot Take()
    {
        // /proc/self/stat: "pid (comm) state ..."; after the comm, utime, stime, cutime and cstime are fields 12-15.
        var stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double Ticks(int index) => double.Parse(fields[index]) * MsPerTick;
        var self = Ticks(11) + Ticks(12);
        var children = Ticks(13) + Ticks(14);

        // /proc/stat "cpu  user nice system idle iowait irq softirq steal ...": busy is all but idle and iowait.
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var busy = new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => double.Parse(cpu[i])) * MsPerTick;
        return new CpuSnapshot(self, children, busy);
    }

    public static CpuSnapshot operator -(CpuSnapshot after, CpuSnapshot before)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(before);
        return new CpuSnapshot(after.SelfMs - before.SelfMs, after.ReapedChildrenMs - before.ReapedChildrenMs,
            after.MachineBusyMs - before.MachineBusyMs);
    }
}
