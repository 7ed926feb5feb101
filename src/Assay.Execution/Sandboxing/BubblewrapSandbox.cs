using System.Globalization;
using Assay.Core.Execution;

namespace Assay.Execution.Sandboxing;

/// <summary>
/// Runs programs in bubblewrap sandboxes: new user, mount, PID, IPC, UTS, network and cgroup namespaces;
/// read-only system directories; a private tmpfs working directory and /tmp; an unprivileged uid; an empty
/// environment; and the limits of <see cref="ResourceLimits"/>, enforced by the supervisor (wall time, CPU
/// time, output, memory and processes through a per-run cgroup) and by rlimits set just before the program
/// starts (open files, file size, CPU as a backstop, core dumps off).
/// </summary>
public sealed class BubblewrapSandbox : IDisposable
{
    /// <summary>Where the program's working directory is, inside every sandbox.</summary>
    public const string WorkDir = "/box";

    private const string InitPath = "/.assay/init";
    private const int FirstMountFd = 101;

    /// <summary>System directories every sandbox sees read-only (when they exist on the host).</summary>
    private static readonly string[] SystemDirs = ["/usr", "/etc/alternatives", "/etc/ld.so.cache", "/etc/ld.so.conf", "/etc/ld.so.conf.d", "/etc/localtime"];

    /// <summary>Top-level names that are directories on some hosts and symlinks into /usr on merged-/usr hosts.</summary>
    private static readonly string[] RootLinks = ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"];

    private readonly SandboxHost _host;
    private readonly SupervisorPool _pool;
    private readonly IReadOnlyList<string> _systemArgs;

    public BubblewrapSandbox(SandboxHost host, int concurrency)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        _pool = new SupervisorPool(host.SupervisorPath, concurrency);
        _systemArgs = BuildSystemArgs();
    }

    public SandboxHost Host => _host;

    /// <summary>How many sandboxes can run at once.</summary>
    public int Concurrency => _pool.Size;

    public Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return _pool.WithSlotAsync((slot, supervisor) =>
        {
            var (options, argv) = BuildInvocation(request, slot);
            return supervisor.RunAsync(options, argv, request.Stdin, request.OnStdout, cancellationToken);
        }, cancellationToken);
    }

    private (List<string> Options, List<string> Argv) BuildInvocation(SandboxRequest request, int slot)
    {
        var limits = request.Limits;
        var options = new List<string>
        {
            "wall_ms=" + (long)Math.Ceiling(limits.WallTime.TotalMilliseconds),
            "cpu_ms=" + (long)Math.Ceiling(limits.CpuTime.TotalMilliseconds),
            "mem_kb=" + limits.MemoryKb,
            "nproc=" + limits.MaxProcesses,
            "output_bytes=" + limits.MaxOutputBytes,
        };
        if (!limits.OomKillEndsRun) options.Add("oom_ends_run=0");
        if (_host.DropsPrivileges)
        {
            var uid = SandboxHost.SlotUidBase + slot;
            options.Add("uid=" + uid);
            options.Add("gid=" + uid);
            if (request.WritableWorkDir is not null) options.Add("chown=" + request.WritableWorkDir);
        }

        var nextFd = FirstMountFd;
        string Fd(string hostPath)
        {
            var fd = nextFd++;
            options.Add($"fd={fd}:{hostPath}");
            return fd.ToString(CultureInfo.InvariantCulture);
        }

        var argv = new List<string>(64) { _host.BubblewrapPath };
        argv.AddRange(_systemArgs);
        foreach (var mount in request.Mounts)
            argv.AddRange([mount.Writable ? "--bind-fd" : "--ro-bind-fd", Fd(mount.HostPath), mount.SandboxPath]);
        var tmpBytes = (limits.TmpfsKb * 1024).ToString(CultureInfo.InvariantCulture);
        argv.AddRange(["--perms", "1777", "--size", tmpBytes, "--tmpfs", "/tmp"]);
        if (request.WritableWorkDir is not null)
        {
            argv.AddRange(["--bind-fd", Fd(request.WritableWorkDir), WorkDir]);
        }
        else
        {
            argv.AddRange(["--perms", "1777", "--size", tmpBytes, "--tmpfs", WorkDir]);
        }
        foreach (var (hostPath, name) in request.WorkDirFiles)
            argv.AddRange(["--ro-bind-fd", Fd(hostPath), WorkDir + "/" + name]);
        argv.AddRange(["--ro-bind-fd", Fd(_host.SupervisorPath), InitPath]);
        argv.AddRange(["--remount-ro", "/", "--chdir", WorkDir, "--clearenv"]);
        var env = new Dictionary<string, string>
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = "/tmp",
            ["TMPDIR"] = "/tmp",
            ["LANG"] = "C.UTF-8",
        };
        foreach (var (key, value) in request.Environment) env[key] = value;
        foreach (var (key, value) in env) argv.AddRange(["--setenv", key, value]);

        argv.AddRange(["--", InitPath, "init"]);
        var cpuSeconds = (long)Math.Ceiling(limits.CpuTime.TotalSeconds) + 1;
        argv.AddRange(["--rlimit", "cpu=" + cpuSeconds]);
        argv.AddRange(["--rlimit", "nofile=" + limits.MaxOpenFiles]);
        argv.AddRange(["--rlimit", "fsize=" + limits.MaxFileSizeKb * 1024]);
        argv.AddRange(["--rlimit", "core=0"]);
        if (request.LimitAddressSpace) argv.AddRange(["--rlimit", "as=" + limits.MemoryKb * 1024]);
        argv.Add("--");
        argv.AddRange(request.Command);
        return (options, argv);
    }

    private static List<string> BuildSystemArgs()
    {
        var args = new List<string>
        {
            "--unshare-user", "--unshare-pid", "--unshare-ipc", "--unshare-uts", "--unshare-net", "--unshare-cgroup-try",
            "--die-with-parent", "--new-session", "--uid", "1000", "--gid", "1000", "--hostname", "assay",
            "--disable-userns",
        };
        foreach (var link in RootLinks)
        {
            var info = new FileInfo(link);
            if (info.LinkTarget is { } target) args.AddRange(["--symlink", target, link]);
            else if (Directory.Exists(link)) args.AddRange(["--ro-bind", link, link]);
        }
        foreach (var dir in SystemDirs)
        {
            if (Path.Exists(dir)) args.AddRange(["--ro-bind", dir, dir]);
        }
        args.AddRange(["--proc", "/proc", "--dev", "/dev"]);
        return args;
    }

    public void Dispose() => _pool.Dispose();
}
