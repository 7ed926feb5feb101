using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Assay.Bench.Measurement;

/// <summary>The machine a benchmark ran on, as far as it changes the figures.</summary>
internal sealed record MachineInfo(
    int Cores,
    string CpuModel,
    double MemoryGib,
    string Kernel,
    string Os,
    string Dotnet,
    string Bubblewrap,
    string Cgroup,
    bool RunsAsRoot,
    string LoadAverage)
{
    public static MachineInfo Read(string bubblewrapPath, bool runsAsRoot) => new(
        Environment.ProcessorCount,
        FirstValue("/proc/cpuinfo", "model name") ?? "unknown",
        Math.Round((ParseKb(FirstValue("/proc/meminfo", "MemTotal")) ?? 0) / 1024.0 / 1024.0, 1),
        ReadTrimmed("/proc/sys/kernel/osrelease") ?? RuntimeInformation.OSDescription,
        OsName(),
        RuntimeInformation.FrameworkDescription,
        FirstOutputLine(bubblewrapPath, "--version"),
        CgroupLayout(),
        runsAsRoot,
        ReadLoadAverage());

    /// <summary>The 1, 5 and 15 minute load averages: anything else running skews every figure.</summary>
    public static string ReadLoadAverage() =>
        string.Join(' ', (ReadTrimmed("/proc/loadavg") ?? "unknown").Split(' ').Take(3));

    /// <summary>Which cgroup hierarchy the supervisor uses here: it prefers v1 controllers when they are mounted.</summary>
    private static string CgroupLayout()
    {
        if (File.Exists("/sys/fs/cgroup/memory/cgroup.procs") && File.Exists("/sys/fs/cgroup/pids/cgroup.procs")
            && File.Exists("/sys/fs/cgroup/cpuacct/cgroup.procs"))
            return "v1";
        return File.Exists("/sys/fs/cgroup/cgroup.controllers") ? "v2" : "none";
    }

    private static string OsName()
    {
        var line = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
            : null;
        return line is null ? RuntimeInformation.OSDescription : line["PRETTY_NAME=".Length..].Trim('"');
    }

    private static string? FirstValue(string path, string key)
    {
        if (!File.Exists(path)) return null;
        foreach (var line in File.ReadLines(path))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0 && line[..colon].Trim() == key) return line[(colon + 1)..].Trim();
        }
        return null;
    }

    private static long? ParseKb(string? value) =>
        value is not null && long.TryParse(value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], out var kb) ? kb : null;

    private static string? ReadTrimmed(string path) => File.Exists(path) ? File.ReadAllText(path).Trim() : null;

    private static string FirstOutputLine(string program, string argument)
    {
        try
        {
            var psi = new ProcessStartInfo(program, argument) { RedirectStandardOutput = true, UseShellExecute = false };
            using var process = Process.Start(psi);
            if (process is null) return "unknown";
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return text.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "unknown";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return "unknown (" + ex.Message + ")";
        }
    }
}
