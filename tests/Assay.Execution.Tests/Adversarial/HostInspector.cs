using System.Collections.Concurrent;
using Assay.Execution.Sandboxing;

namespace Assay.Execution.Tests.Adversarial;

/// <summary>One process as the host sees it in /proc.</summary>
internal sealed record HostProcess(int Pid, int ParentPid, char State, int Uid, string CommandLine)
{
    /// <summary>A zombie has exited and holds nothing but its process-table entry.</summary>
    public bool IsLive => State is not 'Z' and not 'X';

    public override string ToString() =>
        $"pid={Pid} ppid={ParentPid} state={State} uid={Uid} cmd=\"{(CommandLine.Length > 160 ? CommandLine[..160] + "..." : CommandLine)}\"";
}

/// <summary>
/// Looks at the host from outside the sandbox: which processes exist, which files exist, how much disk is free.
/// Every adversarial test uses it to prove that what happened inside the sandbox stayed there.
/// </summary>
internal static class HostInspector
{
    /// <summary>The host uids sandboxes run as (one per concurrent slot).</summary>
    public const int FirstSlotUid = SandboxHost.SlotUidBase;

    public const int LastSlotUid = SandboxHost.SlotUidBase + 63;

    /// <summary>Host directories a candidate might try to write to; none may ever hold a file named after a marker.</summary>
    public static readonly string[] WatchedDirectories = ["/tmp", "/var/tmp", "/dev/shm", "/root", "/etc", "/home", "/usr", "/usr/local", "/"];

    private static readonly ConcurrentBag<string> Markers = [];

    /// <summary>
    /// A unique string for one test. Candidates put it in their command lines (by re-executing themselves with
    /// it as an argument) and in the names of the files they write, so the host can be searched for them.
    /// </summary>
    public static string NewMarker(string what)
    {
        var marker = $"assayadv-{what}-{Guid.NewGuid():N}";
        Markers.Add(marker);
        return marker;
    }

    /// <summary>Every marker handed out so far in this test process.</summary>
    public static IReadOnlyList<string> AllMarkers => [.. Markers];

    /// <summary>Reads every process in /proc; processes that vanish while being read are skipped.</summary>
    public static List<HostProcess> Snapshot()
    {
        var result = new List<HostProcess>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var uid = -1;
                foreach (var line in File.ReadLines(Path.Combine(dir, "status")))
                {
                    if (!line.StartsWith("Uid:", StringComparison.Ordinal)) continue;
                    uid = int.Parse(line.Split('\t', StringSplitOptions.RemoveEmptyEntries)[1]);
                    break;
                }
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').TrimEnd();
                result.Add(new HostProcess(pid, int.Parse(fields[1]), fields[0][0], uid, cmdline));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process exited between listing and reading.
            }
        }
        return result;
    }

    public static bool IsSlotUid(int uid) => uid is >= FirstSlotUid and <= LastSlotUid;

    private static bool IsSupervisor(HostProcess p)
    {
        var args = p.CommandLine.Split(' ');
        return args.Length >= 2 && Path.GetFileName(args[0]).StartsWith("assay-supervisor", StringComparison.Ordinal) && args[1] == "serve";
    }

    /// <summary>The `assay-supervisor serve` processes this test process started (the fixture's pool).</summary>
    public static List<HostProcess> OwnSupervisors(IReadOnlyList<HostProcess>? snapshot = null) =>
        [.. (snapshot ?? Snapshot()).Where(p => p.IsLive && IsSupervisor(p) && p.ParentPid == Environment.ProcessId)];

    /// <summary>
    /// Live processes running as a sandbox slot uid, split into those under one of this test process's supervisors
    /// (ours: none may exist between runs, because all sandbox tests share one serialised collection) and orphans:
    /// slot-uid processes whose chain of slot-uid ancestors ends at the host's init, which is where a process
    /// that escaped its sandbox's process tree is re-parented. Processes under another process's supervisors, or
    /// started directly by some other non-sandbox process (another tool on a shared machine), are not ours and
    /// are ignored.
    /// </summary>
    public static (List<HostProcess> Ours, List<HostProcess> Orphans) SandboxProcesses(IReadOnlyList<HostProcess> snapshot)
    {
        var byPid = snapshot.ToDictionary(p => p.Pid);
        var ours = new List<HostProcess>();
        var orphans = new List<HostProcess>();
        foreach (var p in snapshot.Where(p => p.IsLive && IsSlotUid(p.Uid)))
        {
            // The walk starts at the process itself: a supervisor started by an unprivileged user runs as a slot
            // uid too, and is infrastructure, not an escapee.
            var current = p;
            for (var depth = 0; depth < 4096; depth++)
            {
                if (IsSupervisor(current))
                {
                    if (current.ParentPid == Environment.ProcessId) ours.Add(p);
                    break;
                }
                if (current.ParentPid <= 1 || !byPid.TryGetValue(current.ParentPid, out var parent))
                {
                    orphans.Add(p);
                    break;
                }
                if (!IsSlotUid(parent.Uid) && !IsSupervisor(parent)) break; // started by something else on the host
                current = parent;
            }
        }
        return (ours, orphans);
    }

    /// <summary>
    /// Orphaned slot-uid processes that stay orphaned. A sandbox's own init is briefly orphaned while a run
    /// tears down (bubblewrap's outer process exits first), so only an orphan still alive after a grace period
    /// counts as escaped.
    /// </summary>
    public static async Task<List<HostProcess>> PersistentOrphansAsync(TimeSpan grace)
    {
        var (_, orphans) = SandboxProcesses(Snapshot());
        var deadline = DateTime.UtcNow + grace;
        while (orphans.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
            var now = SandboxProcesses(Snapshot()).Orphans.Select(p => (p.Pid, p.CommandLine)).ToHashSet();
            orphans = [.. orphans.Where(p => now.Contains((p.Pid, p.CommandLine)))];
        }
        return orphans;
    }

    /// <summary>Live processes (anywhere on the host) whose command line carries the marker.</summary>
    public static List<HostProcess> ProcessesCarrying(string marker, IReadOnlyList<HostProcess>? snapshot = null) =>
        [.. (snapshot ?? Snapshot()).Where(p => p.IsLive && p.CommandLine.Contains(marker, StringComparison.Ordinal))];

    /// <summary>Host files or directories whose name contains the marker, in the watched directories and the staging area.</summary>
    public static List<string> FilesNamedAfter(string marker, string? stagingRoot)
    {
        var found = new List<string>();
        foreach (var dir in WatchedDirectories.Where(Directory.Exists))
        {
            try
            {
                found.AddRange(Directory.EnumerateFileSystemEntries(dir).Where(e => Path.GetFileName(e).Contains(marker, StringComparison.Ordinal)));
            }
            catch (UnauthorizedAccessException)
            {
                // Not listable even for root: nothing a sandbox could have written either.
            }
        }
        if (stagingRoot is not null && Directory.Exists(stagingRoot))
        {
            var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3, IgnoreInaccessible = true };
            found.AddRange(Directory.EnumerateFileSystemEntries(stagingRoot, "*" + marker + "*", options));
        }
        return found;
    }

    public static string Describe(IEnumerable<object> items) => string.Join("\n  ", items.Select(i => i.ToString()));

    /// <summary>
    /// The checks every adversarial test ends with: no process of the run survives (neither one carrying the
    /// marker nor any slot-uid process under this test process's supervisors), nothing escaped its sandbox's
    /// process tree, and no file named after the marker exists on the host.
    /// </summary>
    public static async Task AssertHostUntouchedAsync(string marker, string? stagingRoot)
    {
        var snapshot = Snapshot();
        var carrying = ProcessesCarrying(marker, snapshot);
        Assert.True(carrying.Count == 0, "processes of the run outlived it:\n  " + Describe(carrying));
        var (ours, _) = SandboxProcesses(snapshot);
        Assert.True(ours.Count == 0, "sandbox processes remain under this test process's supervisors after the run:\n  " + Describe(ours));
        var orphans = await PersistentOrphansAsync(TimeSpan.FromSeconds(2));
        Assert.True(orphans.Count == 0, "slot-uid processes live outside any supervisor's tree:\n  " + Describe(orphans));
        var files = FilesNamedAfter(marker, stagingRoot);
        Assert.True(files.Count == 0, "files written by the run exist on the host:\n  " + Describe(files));
    }

    /// <summary>Bytes free on the file system holding the path (what a disk-filling candidate would consume).</summary>
    public static long FreeBytes(string path) => new DriveInfo(path).AvailableFreeSpace;
}
