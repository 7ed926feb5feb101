using System.Diagnostics;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.Json;
using Assay.Core.Execution;
using Assay.Execution.Running;

namespace Assay.Execution.Tests.Adversarial;

/// <summary>Candidates that try to reach outside the sandbox: outlive it, write or read host files, use the network, signal the host.</summary>
public sealed partial class AdversarialBattery
{
    [SandboxFact]
    public async Task Double_forked_daemon_does_not_outlive_the_run()
    {
        var marker = HostInspector.NewMarker("daemon");
        const string body = """
            import signal, time
            ready_r, ready_w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.setsid()
                if os.fork() != 0:
                    os._exit(0)
                for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
                    signal.signal(s, signal.SIG_IGN)
                devnull = os.open("/dev/null", os.O_RDWR)
                for fd in (0, 1, 2):
                    os.dup2(devnull, fd)
                os.write(ready_w, str(os.getpid()).encode())
                os.close(ready_w)
                time.sleep(1.0)
                for d in ("/tmp", "/box", "/dev/shm", "/var/tmp"):
                    try:
                        with open(f"{d}/{MARKER}-daemon", "w") as f:
                            f.write("outlived the run")
                    except OSError:
                        pass
                while True:
                    time.sleep(0.1)
            os.close(ready_w)
            os.waitpid(pid, 0)
            daemon = int(os.read(ready_r, 64))
            os.kill(daemon, 0)
            print(f"daemon {daemon} running in session {os.getsid(daemon)}, not {os.getsid(0)}", flush=True)
            print("parent exits", flush=True)
            """;
        var outcome = await RunAsync("python", MarkedPython(marker, body), l => l with { WallTime = TimeSpan.FromSeconds(5) });

        AssertStatus(RunStatus.Ok, outcome);
        // The daemon really was running, in a session of its own, when the candidate's main process exited.
        var started = System.Text.RegularExpressions.Regex.Match(outcome.Run.Stdout, @"^daemon (\d+) running in session (\d+), not (\d+)\nparent exits\n$");
        Assert.True(started.Success, "unexpected output: " + outcome.Run.Stdout);
        Assert.NotEqual(started.Groups[2].Value, started.Groups[3].Value);
        // Right after the run returns, nothing of it is alive...
        await AssertHostUntouchedAsync(marker);
        // ... and once the daemon would have woken up and written its files, still nothing.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Empty(HostInspector.ProcessesCarrying(marker));
        Assert.False(File.Exists($"/tmp/{marker}-daemon"), "the daemon wrote to the host's /tmp");
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task Writes_to_host_directories_fail_or_stay_inside_the_sandbox()
    {
        var marker = HostInspector.NewMarker("write");
        const string body = """
            import errno, json
            results = {}
            targets = ["/tmp", "/root", "/etc", "/var/tmp", "/dev/shm", "/usr", "/usr/local", "/home", "/", "/proc/1/root/tmp", "/proc/1/cwd"]
            for d in targets:
                try:
                    with open(os.path.join(d, MARKER + "-w"), "w") as f:
                        f.write("written by a candidate")
                    results[d] = "written"
                except OSError as e:
                    results[d] = errno.errorcode.get(e.errno, str(e.errno))
            for path in ("/etc/ld.so.cache", "/etc/localtime", "/box/main.py"):
                try:
                    with open(path, "a") as f:
                        f.write("tampered")
                    results[path] = "written"
                except OSError as e:
                    results[path] = errno.errorcode.get(e.errno, str(e.errno))
            print(json.dumps(results))
            """;
        var watched = new[] { "/etc/ld.so.cache", "/etc/localtime" }.Where(File.Exists)
            .ToDictionary(p => p, p => (File.GetLastWriteTimeUtc(p), new FileInfo(p).Length));
        var source = MarkedPython(marker, body);
        var outcome = await RunAsync("python", source);

        AssertStatus(RunStatus.Ok, outcome);
        var results = LastJsonLine(outcome);
        // Read-only or absent inside the sandbox: the write must fail there (a success on a bind-mounted system
        // directory would be a write to the host).
        foreach (var d in new[] { "/root", "/etc", "/usr", "/usr/local", "/", "/etc/ld.so.cache", "/etc/localtime", "/box/main.py" })
            Assert.True(results.GetProperty(d).GetString() != "written", $"{d} was writable inside the sandbox: {results}");
        // Whatever succeeded landed in the sandbox's own tmpfs, never on the host.
        foreach (var dir in HostInspector.WatchedDirectories)
            Assert.False(File.Exists(Path.Combine(dir, marker + "-w")), $"{dir}/{marker}-w exists on the host");
        foreach (var (path, before) in watched)
            Assert.Equal(before, (File.GetLastWriteTimeUtc(path), new FileInfo(path).Length));
        Assert.Equal(source, await File.ReadAllTextAsync(Path.Combine(outcome.ProgramDirectory, "main.py")));
        AssertProgramDirectoryUnchanged(outcome, "main.py");
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task Reading_etc_shadow_fails()
    {
        var marker = HostInspector.NewMarker("shadow");
        const string body = """
            import json
            results = {}
            for path in ("/etc/shadow", "/proc/1/root/etc/shadow", "/proc/self/root/etc/shadow", "/usr/../etc/shadow",
                         "/etc/gshadow", "/etc/passwd", "/root/.bash_history"):
                try:
                    with open(path) as f:
                        results[path] = "READ:" + f.read()
                except OSError as e:
                    results[path] = type(e).__name__
            print(json.dumps(results))
            """;
        var outcome = await RunAsync("python", MarkedPython(marker, body));

        AssertStatus(RunStatus.Ok, outcome);
        var results = LastJsonLine(outcome);
        foreach (var attempt in results.EnumerateObject())
            Assert.True(attempt.Value.GetString() is "FileNotFoundError" or "PermissionError", $"{attempt.Name}: {attempt.Value}");
        if (File.Exists("/etc/shadow"))
        {
            foreach (var line in File.ReadLines("/etc/shadow").Where(l => l.Length > 0))
                Assert.DoesNotContain(line, outcome.Run.Stdout + outcome.Run.Stderr, StringComparison.Ordinal);
        }
        await AssertHostUntouchedAsync(marker);
    }

    /// <summary>
    /// The candidate sees exactly the sandbox's environment, and no value of Assay's own: neither in os.environ
    /// nor in any /proc/PID/environ it can read. The shared fixture's supervisors may have started before the
    /// secret was set, so the same candidate also runs under a fresh runner whose supervisor certainly inherits it.
    /// </summary>
    [SandboxFact]
    public async Task Environment_of_the_host_is_invisible()
    {
        var marker = HostInspector.NewMarker("env");
        var secret = "assay-secret-" + Guid.NewGuid().ToString("N");
        const string body = """
            import json
            seen = {"environ": dict(os.environ), "proc": {}}
            for pid in sorted(p for p in os.listdir("/proc") if p.isdigit()) + ["self"]:
                try:
                    with open(f"/proc/{pid}/environ", "rb") as f:
                        seen["proc"][pid] = f.read().decode("utf-8", "replace")
                except OSError as e:
                    seen["proc"][pid] = "unreadable: " + type(e).__name__
            print(json.dumps(seen))
            """;
        var source = MarkedPython(marker, body);
        Environment.SetEnvironmentVariable("ASSAY_TEST_SECRET", secret);
        Outcome shared;
        ProcessReport fresh;
        try
        {
            shared = await RunAsync("python", source, logOutput: false);
            var (runner, problem) = ProgramRunner.Create(concurrency: 1);
            Assert.True(runner is not null, problem);
            using (runner)
            {
                var toolchain = runner.ResolveLanguage("python")!.Toolchain!;
                fresh = (await runner.RunAsync(toolchain, source, ReadOnlyMemory<byte>.Empty, toolchain.RunLimits(ResourceLimits.Default))).Run;
            }
        }
        finally
        {
            Environment.SetEnvironmentVariable("ASSAY_TEST_SECRET", null);
        }

        var toolchainEnv = Sandbox.Toolchain("python").Environment;
        var expected = new Dictionary<string, string>(toolchainEnv)
        {
            ["PATH"] = "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = "/tmp",
            ["TMPDIR"] = "/tmp",
            ["LANG"] = "C.UTF-8",
            ["PWD"] = "/box", // bubblewrap's --chdir sets it
        };
        var hostPairs = Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .Select(e => $"{e.Key}={e.Value}")
            .Append("ASSAY_TEST_SECRET=" + secret)
            .Where(pair => !expected.Any(kv => pair == $"{kv.Key}={kv.Value}"))
            .ToHashSet(StringComparer.Ordinal);

        var problems = new List<string>();
        foreach (var (name, run) in new[] { ("shared fixture", shared.Run), ("fresh runner", fresh) })
        {
            if (run.Status != RunStatus.Ok)
            {
                problems.Add($"{name}: {run} {run.Stderr}");
                continue;
            }
            var seen = JsonDocument.Parse(run.Stdout).RootElement;
            var environ = seen.GetProperty("environ").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            var unexpected = environ.Keys.Except(expected.Keys).Order(StringComparer.Ordinal).ToList();
            var missing = expected.Keys.Except(environ.Keys).Order(StringComparer.Ordinal).ToList();
            var changed = expected.Keys.Intersect(environ.Keys).Where(k => environ[k] != expected[k]).Order(StringComparer.Ordinal).ToList();
            if (unexpected.Count + missing.Count + changed.Count > 0)
                problems.Add($"{name}: os.environ has unexpected [{string.Join(", ", unexpected)}], lacks [{string.Join(", ", missing)}], "
                    + $"has other values for [{string.Join(", ", changed)}]");
            var visible = new List<(string Where, string Pair)>();
            visible.AddRange(environ.Select(kv => ("os.environ", $"{kv.Key}={kv.Value}")));
            foreach (var proc in seen.GetProperty("proc").EnumerateObject())
                visible.AddRange(proc.Value.GetString()!.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(pair => ($"/proc/{proc.Name}/environ", pair)));
            // Only names are reported: the values are the host's and may be secrets.
            var leaks = visible.Where(v => hostPairs.Contains(v.Pair)).Select(v => (v.Where, Name: v.Pair[..v.Pair.IndexOf('=', StringComparison.Ordinal)])).ToList();
            if (run.Stdout.Contains(secret, StringComparison.Ordinal))
                problems.Add($"{name}: ASSAY_TEST_SECRET's value is visible to the candidate in {string.Join(", ", leaks.Where(l => l.Name == "ASSAY_TEST_SECRET").Select(l => l.Where).Distinct())}");
            if (leaks.Count > 0)
            {
                var names = leaks.Select(l => l.Name).Distinct(StringComparer.Ordinal)
                    .OrderBy(n => n is "ASSAY_TEST_SECRET" or "HOME" or "PATH" ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal).ToList();
                problems.Add($"{name}: {names.Count} of Assay's own environment variables are visible (with Assay's values) in "
                    + $"{string.Join(", ", leaks.Select(l => l.Where).Distinct())}: {string.Join(", ", names.Take(12))}{(names.Count > 12 ? ", ..." : "")}");
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task Network_is_unreachable_loopback_host_addresses_and_dns()
    {
        var marker = HostInspector.NewMarker("net");
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var abstractName = marker + "-unix";
        using var unix = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        unix.Bind(new UnixDomainSocketEndPoint("\0" + abstractName));
        unix.Listen();
        var hostAddresses = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(i => i.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            .Select(a => a.ToString())
            .ToList();
        // The listener is reachable from the host itself: a connection from the sandbox would be seen.
        Assert.False(listener.Pending());

        var body = """
            import json, socket
            results = {}
            def attempt(name, action):
                try:
                    action()
                    results[name] = "succeeded"
                except OSError as e:
                    results[name] = type(e).__name__ + ": " + str(e)
            def tcp(host):
                with socket.create_connection((host, PORT), timeout=2) as s:
                    s.sendall(b"hello from the sandbox")
            def unix():
                with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                    s.connect("\0" + ABSTRACT)
            def udp():
                with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                    s.sendto(b"x", ("8.8.8.8", 53))
            attempt("tcp 127.0.0.1", lambda: tcp("127.0.0.1"))
            for ip in HOST_IPS:
                attempt("tcp " + ip, lambda ip=ip: tcp(ip))
            attempt("dns example.com", lambda: socket.getaddrinfo("example.com", 80))
            attempt("udp 8.8.8.8", udp)
            attempt("abstract unix socket", unix)
            print(json.dumps(results))
            """
            .Replace("PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("ABSTRACT", JsonSerializer.Serialize(abstractName), StringComparison.Ordinal)
            .Replace("HOST_IPS", JsonSerializer.Serialize(hostAddresses), StringComparison.Ordinal);
        var outcome = await RunAsync("python", MarkedPython(marker, body));

        AssertStatus(RunStatus.Ok, outcome);
        var results = LastJsonLine(outcome);
        Assert.Equal(3 + hostAddresses.Count + 1, results.EnumerateObject().Count());
        foreach (var attempt in results.EnumerateObject())
            Assert.True(attempt.Value.GetString() != "succeeded", $"{attempt.Name} succeeded from inside the sandbox");
        Assert.StartsWith("gaierror", results.GetProperty("dns example.com").GetString(), StringComparison.Ordinal);
        Assert.False(listener.Pending(), "the host's TCP listener has a connection waiting");
        Assert.False(unix.Poll(0, SelectMode.SelectRead), "the host's abstract unix socket has a connection waiting");
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task Proc_shows_only_the_sandbox_s_own_processes()
    {
        var marker = HostInspector.NewMarker("proc");
        var hostPid = Environment.ProcessId;
        var body = """
            import json
            procs = {}
            for p in os.listdir("/proc"):
                if p.isdigit():
                    try:
                        with open(f"/proc/{p}/cmdline", "rb") as f:
                            procs[p] = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
                    except OSError:
                        procs[p] = "unreadable"
            print(json.dumps({"procs": procs, "self": os.getpid(), "host_pid_visible": os.path.exists("/proc/HOSTPID")}))
            """.Replace("HOSTPID", hostPid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var outcome = await RunAsync("python", MarkedPython(marker, body));

        AssertStatus(RunStatus.Ok, outcome);
        var report = LastJsonLine(outcome);
        var procs = report.GetProperty("procs").EnumerateObject().ToDictionary(p => int.Parse(p.Name), p => p.Value.GetString()!);
        var listing = string.Join("; ", procs.Select(p => $"{p.Key}: {p.Value}"));
        Assert.Contains(report.GetProperty("self").GetInt32(), procs.Keys);
        Assert.True(procs.Count <= 3, "more processes than the sandbox's init and the candidate: " + listing);
        Assert.True(procs.Keys.All(pid => pid < 10), "host-sized pids are visible: " + listing);
        Assert.True(procs.Values.All(cmd => !cmd.Contains("dotnet", StringComparison.Ordinal) && !cmd.Contains("testhost", StringComparison.Ordinal)
            && !cmd.Contains(" serve", StringComparison.Ordinal)), "host processes are visible: " + listing);
        if (hostPid >= 10) Assert.False(report.GetProperty("host_pid_visible").GetBoolean(), $"/proc/{hostPid} (the test runner) is visible");
        await AssertHostUntouchedAsync(marker);
    }

    [SandboxFact]
    public async Task Killing_its_parent_ends_the_run_with_a_status_and_the_supervisor_survives()
    {
        var marker = HostInspector.NewMarker("killparent");
        const string body = """
            import errno, json, signal, time
            ppid = os.getppid()
            try:
                os.kill(ppid, signal.SIGKILL)
                result = "sent"
            except OSError as e:
                result = errno.errorcode.get(e.errno, str(e.errno))
            time.sleep(0.3)
            print(json.dumps({"ppid": ppid, "kill": result}), flush=True)
            """;
        await AssertSignalsStayInsideAsync(marker, "python", MarkedPython(marker, body), outcome =>
        {
            // Inside its PID namespace the candidate's parent is the sandbox's init (pid 1), which the kernel
            // shields from SIGKILL sent from inside the namespace: the candidate lives on and exits normally.
            AssertStatus(RunStatus.Ok, outcome);
            var report = LastJsonLine(outcome);
            Assert.Equal(1, report.GetProperty("ppid").GetInt32());
        });
    }

    [ToolchainFact("c")]
    public async Task Kill_minus_one_reaches_nothing_outside_the_sandbox()
    {
        var marker = HostInspector.NewMarker("killall");
        const string includes = """
            #include <errno.h>
            #include <signal.h>
            #include <stdio.h>
            """;
        const string body = """
            static int candidate(void) {
                int all = kill(-1, SIGKILL), all_errno = errno;
                int parent = kill(getppid(), SIGKILL), parent_errno = errno;
                int term = kill(1, SIGTERM);
                usleep(300000);
                printf("kill(-1)=%d errno=%d kill(ppid)=%d errno=%d kill(1,TERM)=%d survived\n", all, all_errno, parent, parent_errno, term);
                return 0;
            }
            """;
        await AssertSignalsStayInsideAsync(marker, "c", MarkedC(marker, includes, body), outcome =>
        {
            // kill(-1) signals every process the caller may signal except init and itself: inside the sandbox's
            // PID namespace there is nothing else, so the candidate survives and exits normally.
            AssertStatus(RunStatus.Ok, outcome);
            Assert.EndsWith("survived\n", outcome.Run.Stdout, StringComparison.Ordinal);
        });
    }

    /// <summary>
    /// Runs a signalling candidate next to host "sentinel" processes that run as the sandbox slot uids (the
    /// uids a kill(-1) would reach if it escaped the PID namespace), then checks the sentinels, the test process
    /// and the fixture's supervisors all survived and the next run still works.
    /// </summary>
    private async Task AssertSignalsStayInsideAsync(string marker, string language, string source, Action<Outcome> assertOutcome)
    {
        var warm = await RunAsync("python", "print('warm')");
        AssertStatus(RunStatus.Ok, warm);
        var supervisorsBefore = HostInspector.OwnSupervisors().Select(p => p.Pid).ToHashSet();
        Assert.NotEmpty(supervisorsBefore);

        var python = Sandbox.Toolchain("python").RunCommand[0]; // the host's real interpreter, resolved by the toolchain
        var sentinels = new List<Process>();
        try
        {
            for (var slot = 0; slot < Sandbox.Runner.Concurrency; slot++)
            {
                var uid = HostInspector.FirstSlotUid + slot;
                var psi = new ProcessStartInfo(python)
                {
                    ArgumentList = { "-c", $"import os, time; os.setgroups([]); os.setgid({uid}); os.setuid({uid}); time.sleep(60)", marker + "-sentinel" },
                    UseShellExecute = false,
                };
                sentinels.Add(Process.Start(psi)!);
            }
            await Task.Delay(200);
            Assert.All(sentinels, s => Assert.False(s.HasExited, "a sentinel did not start"));

            var outcome = await RunAsync(language, source);
            Assert.True(outcome.Report.Status != RunStatus.SandboxError, "the signalling candidate broke the sandbox: " + outcome.Run);
            assertOutcome(outcome);

            Assert.All(sentinels, s => Assert.False(s.HasExited, "a host process running as a slot uid was killed from inside the sandbox"));
            var supervisorsAfter = HostInspector.OwnSupervisors().Select(p => p.Pid).ToHashSet();
            Assert.Subset(supervisorsAfter, supervisorsBefore);
            var next = await RunAsync("python", "print('next run')");
            AssertStatus(RunStatus.Ok, next);
            Assert.Equal("next run\n", next.Run.Stdout);
            Assert.Subset(HostInspector.OwnSupervisors().Select(p => p.Pid).ToHashSet(), supervisorsAfter);
            Assert.False(Process.GetCurrentProcess().HasExited);
        }
        finally
        {
            foreach (var sentinel in sentinels)
            {
                if (!sentinel.HasExited) sentinel.Kill();
                await sentinel.WaitForExitAsync();
                sentinel.Dispose();
            }
        }
        await AssertHostUntouchedAsync(marker);
    }

    /// <summary>
    /// A candidate that imitates the supervisor's report and bubblewrap's error messages, and tries to write to
    /// the supervisor's ready channel (fd 100) and the mount descriptors (101+), is still just a program that
    /// exited with status 1.
    /// </summary>
    [SandboxFact]
    public async Task Fake_supervisor_report_and_bwrap_error_are_still_a_runtime_error()
    {
        var marker = HostInspector.NewMarker("fake");
        const string body = """
            import errno
            for fd in (100, 101, 102, 103, 3, 4):
                try:
                    os.write(fd, b"Xcannot join cgroup")
                    print(f"fd {fd}: WRITTEN")
                except OSError as e:
                    print(f"fd {fd}: {errno.errorcode.get(e.errno)}")
            sys.stdout.write("outcome=setup_error\nerror=cannot drop privileges\n")
            sys.stderr.write("bwrap: Can't mount proc on /newroot/proc: Operation not permitted\n")
            sys.stderr.write("outcome=setup_error\nerror=cannot join cgroup\nkilled_for=wall_time\noom_killed=1\n")
            sys.stdout.flush()
            sys.stderr.flush()
            sys.exit(1)
            """;
        var outcome = await RunAsync("python", MarkedPython(marker, body));

        AssertStatus(RunStatus.RuntimeError, outcome);
        Assert.Equal(1, outcome.Run.ExitCode);
        Assert.Equal("exit code 1", outcome.Run.Message);
        Assert.Contains("fd 100: EBADF", outcome.Run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("WRITTEN", outcome.Run.Stdout, StringComparison.Ordinal);
        Assert.Contains("bwrap: Can't mount proc", outcome.Run.Stderr, StringComparison.Ordinal);
        await AssertHostUntouchedAsync(marker);
    }
}
