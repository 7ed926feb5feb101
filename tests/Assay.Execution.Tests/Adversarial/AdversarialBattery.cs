using System.Diagnostics;
using System.Text.Json;
using Assay.Core.Execution;
using Assay.Execution.Tests.Support;
using Xunit.Abstractions;

namespace Assay.Execution.Tests.Adversarial;

/// <summary>
/// Hostile candidates run in the real sandbox. Each test asserts the verdict Assay gives and that the host is
/// untouched afterwards (no surviving process, no file written outside the sandbox). The tests are spread over
/// several files by theme; the final check runs last (see <see cref="BatteryOrderer"/>).
/// </summary>
[Collection(SandboxCollection.Name)]
[TestCaseOrderer(BatteryOrderer.TypeName, BatteryOrderer.AssemblyName)]
public sealed partial class AdversarialBattery(SandboxFixture sandbox, ITestOutputHelper output)
{
    public const string FinalCheckName = nameof(After_the_battery_no_process_of_it_remains_on_the_host);

    /// <summary>Slack for the wall clock around a limit: process start-up, teardown and a loaded machine.</summary>
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    private SandboxFixture Sandbox { get; } = sandbox;

    private ITestOutputHelper Output { get; } = output;

    /// <summary>Set by <see cref="RunAsync"/>: the host directory that held the last program's files.</summary>
    private string? LastProgramDirectory { get; set; }

    /// <summary>
    /// The Python preamble that re-executes the candidate with the marker as its last argument, so that it and
    /// every process it forks carry the marker in the command line the host sees.
    /// </summary>
    private static string MarkedPython(string marker, string body) =>
        $"""
        import os, sys
        MARKER = "{marker}"
        if sys.argv[-1] != MARKER:
            os.execv(sys.executable, [sys.executable, "-I", "-S", "main.py", MARKER])

        """ + body;

    /// <summary>The same for C: `main` re-executes itself as `./main MARKER` before doing anything else.</summary>
    private static string MarkedC(string marker, string includes, string body) =>
        includes + $$"""

        #include <string.h>
        #include <unistd.h>
        static const char MARKER[] = "{{marker}}";
        static int candidate(void);
        int main(int argc, char **argv) {
            if (argc < 2 || strcmp(argv[1], MARKER) != 0) {
                execl("./main", "./main", MARKER, (char *)0);
                return 3;
            }
            return candidate();
        }

        """ + body;

    private sealed record Outcome(RunReport Report, TimeSpan Elapsed, string ProgramDirectory)
    {
        public ProcessReport Run => Report.Run;
    }

    /// <summary>
    /// Compiles if needed, runs once with adjusted limits, and times the whole call from outside. The output is
    /// logged unless <paramref name="logOutput"/> is false (candidates whose output may hold host values).
    /// </summary>
    private async Task<Outcome> RunAsync(string language, string source, Func<ResourceLimits, ResourceLimits>? adjust = null,
        bool logOutput = true)
    {
        var toolchain = Sandbox.Toolchain(language);
        var limits = toolchain.RunLimits(ResourceLimits.Default);
        if (adjust is not null) limits = adjust(limits);
        var clock = Stopwatch.StartNew();
        var prepared = await Sandbox.Runner.PrepareAsync(toolchain, source);
        Assert.True(prepared.IsRunnable, "the candidate did not compile: " + prepared.Compile?.Stderr);
        var run = await Sandbox.Runner.RunPreparedAsync(prepared, ReadOnlyMemory<byte>.Empty, limits);
        clock.Stop();
        LastProgramDirectory = prepared.Directory;
        Output.WriteLine($"{language} run: {run} (call took {clock.ElapsedMilliseconds} ms)");
        if (!logOutput) return new Outcome(new RunReport(run, prepared.Compile), clock.Elapsed, prepared.Directory);
        Output.WriteLine("  stdout: " + Head(run.Stdout).Replace("\n", "\n          ", StringComparison.Ordinal));
        if (run.Stderr.Length > 0) Output.WriteLine("  stderr: " + Head(run.Stderr).Replace("\n", "\n          ", StringComparison.Ordinal));
        return new Outcome(new RunReport(run, prepared.Compile), clock.Elapsed, prepared.Directory);
    }

    private static void AssertStatus(RunStatus expected, Outcome outcome) =>
        Assert.True(expected == outcome.Report.Status,
            $"expected {expected.ToWireName()}, got {outcome.Run}\nstdout: {Head(outcome.Run.Stdout)}\nstderr: {Head(outcome.Run.Stderr)}");

    private static string Head(string text) => text.Length > 2000 ? text[..2000] + "..." : text;

    /// <summary>The candidate's last stdout line parsed as JSON (candidates report what they saw that way).</summary>
    private static JsonElement LastJsonLine(Outcome outcome)
    {
        var line = outcome.Run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        Assert.True(line is not null, "the candidate printed no report; " + outcome.Run + "\nstderr: " + Head(outcome.Run.Stderr));
        return JsonDocument.Parse(line).RootElement.Clone();
    }

    /// <summary>Files the program directory holds on the host: exactly what Assay staged, nothing the run wrote.</summary>
    private static void AssertProgramDirectoryUnchanged(Outcome outcome, params string[] expected)
    {
        var names = Directory.EnumerateFileSystemEntries(outcome.ProgramDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Order(StringComparer.Ordinal).ToArray(), names);
    }

    private Task AssertHostUntouchedAsync(string marker) => HostInspector.AssertHostUntouchedAsync(marker, StagingRootPath);

    /// <summary>Assay's staging root (the parent of the programs directory), searched for files named after markers.</summary>
    private string? StagingRootPath => LastProgramDirectory is null ? null : Path.GetDirectoryName(Path.GetDirectoryName(LastProgramDirectory));

    /// <summary>
    /// The host checks are not vacuous: while a marked candidate runs, the host sees it (carrying the marker,
    /// running as a slot uid, under one of this test process's supervisors); once the run returns it is gone.
    /// </summary>
    [SandboxFact]
    public async Task Host_checks_see_a_live_candidate_and_then_its_absence()
    {
        var marker = HostInspector.NewMarker("selftest");
        var run = RunAsync("python", MarkedPython(marker, "import time\nif os.fork() == 0:\n    time.sleep(1.5)\n    os._exit(0)\ntime.sleep(1.5)\nos.wait()\nprint('done')\n"),
            l => l with { WallTime = TimeSpan.FromSeconds(5) });
        List<HostProcess> carrying = [], ours = [];
        for (var deadline = DateTime.UtcNow.AddSeconds(1.4); DateTime.UtcNow < deadline && (carrying.Count < 2 || ours.Count == 0);)
        {
            await Task.Delay(50);
            var snapshot = HostInspector.Snapshot();
            carrying = HostInspector.ProcessesCarrying(marker, snapshot);
            ours = HostInspector.SandboxProcesses(snapshot).Ours;
        }
        var outcome = await run;

        AssertStatus(RunStatus.Ok, outcome);
        Assert.Equal("done\n", outcome.Run.Stdout);
        Assert.True(carrying.Count == 2, "expected the candidate and its child on the host:\n  " + HostInspector.Describe(carrying));
        Assert.All(carrying, p => Assert.True(HostInspector.IsSlotUid(p.Uid), "not a slot uid: " + p));
        Assert.True(carrying.All(p => ours.Any(o => o.Pid == p.Pid)), "the candidate is not under this test process's supervisors");
        await AssertHostUntouchedAsync(marker);
    }

    /// <summary>
    /// The escape detector is not vacuous either: a slot-uid process re-parented to the host's init (what a
    /// process that left its sandbox's tree would look like) is reported as an orphan.
    /// </summary>
    [SandboxFact]
    public async Task Host_checks_detect_an_orphaned_slot_uid_process()
    {
        var marker = HostInspector.NewMarker("orphan");
        var uid = HostInspector.FirstSlotUid + 63;
        var script = $"import os, sys, time\nos.setgroups([]); os.setgid({uid}); os.setuid({uid})\n"
            + "if os.fork():\n    os._exit(0)\nprint(os.getpid(), flush=True)\nsys.stdout.close()\ntime.sleep(30)\n";
        var psi = new ProcessStartInfo(Sandbox.Toolchain("python").RunCommand[0])
        {
            ArgumentList = { "-c", script, marker },
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var parent = Process.Start(psi)!;
        var orphanPid = int.Parse((await parent.StandardOutput.ReadLineAsync())!);
        await parent.WaitForExitAsync();
        try
        {
            var orphans = await HostInspector.PersistentOrphansAsync(TimeSpan.FromMilliseconds(300));
            Assert.Contains(orphans, p => p.Pid == orphanPid && p.Uid == uid);
            Assert.Contains(HostInspector.ProcessesCarrying(marker), p => p.Pid == orphanPid);
        }
        finally
        {
            using var orphan = Process.GetProcessById(orphanPid);
            orphan.Kill();
        }
        for (var i = 0; i < 50 && HostInspector.ProcessesCarrying(marker).Count > 0; i++) await Task.Delay(20);
        Assert.Empty(HostInspector.ProcessesCarrying(marker));
    }

    /// <summary>
    /// Not even a zombie of the run is left on the host once the run has returned. The host's pids of the run's
    /// processes (bubblewrap's two processes and the candidate) are recorded while it runs; afterwards none of them
    /// may exist in any state. A zombie re-parented to the host's init would depend on that init to reap it: on a
    /// host whose PID 1 does not reap (a container started without an init), every run would leak one.
    /// </summary>
    [SandboxFact]
    public async Task Run_leaves_not_even_a_zombie_on_the_host()
    {
        var marker = HostInspector.NewMarker("zombie");
        var run = RunAsync("python", MarkedPython(marker, "import time\ntime.sleep(0.6)\nprint('done')\n"),
            l => l with { WallTime = TimeSpan.FromSeconds(5) });
        var seen = new Dictionary<int, HostProcess>();
        for (var deadline = DateTime.UtcNow.AddSeconds(0.5); DateTime.UtcNow < deadline;)
        {
            await Task.Delay(50);
            foreach (var p in HostInspector.SandboxProcesses(HostInspector.Snapshot()).Ours) seen.TryAdd(p.Pid, p);
        }
        var outcome = await run;

        AssertStatus(RunStatus.Ok, outcome);
        Assert.True(seen.Count >= 3, "expected bubblewrap's two processes and the candidate:\n  " + HostInspector.Describe(seen.Values));
        await Task.Delay(200); // generous: the supervisor has already waited for the run to end
        var left = HostInspector.Snapshot().Where(p => seen.ContainsKey(p.Pid) && IsSameProcess(seen[p.Pid], p)).ToList();
        Assert.True(left.Count == 0, "processes of the run still exist after it returned:\n  "
            + HostInspector.Describe(left.Select(p => $"{p}, which during the run was {seen[p.Pid]}")));
        await AssertHostUntouchedAsync(marker);

        // A zombie reads as an empty command line; a live process may have exec'd since. The uid and the pid
        // identify it well enough within a second (pids are not reused that fast).
        static bool IsSameProcess(HostProcess during, HostProcess after) => during.Uid == after.Uid;
    }

    /// <summary>
    /// Case 17: after every other test of the battery (the orderer runs this one last), nothing of it is alive on
    /// the host: no process carrying any of the battery's markers, no slot-uid process under this test process's
    /// supervisors, no slot-uid process re-parented to the host's init, no file named after a marker. Zombies are
    /// not counted here, because on a shared machine other sandboxes leave them too and nothing tells whose they
    /// are; <see cref="Run_leaves_not_even_a_zombie_on_the_host"/> checks them for one run whose pids it knows.
    /// </summary>
    [SandboxFact]
    public async Task After_the_battery_no_process_of_it_remains_on_the_host()
    {
        // One more run, so that this check also works when it is run on its own.
        var marker = HostInspector.NewMarker("final");
        var outcome = await RunAsync("python", MarkedPython(marker, "print('last')"));
        AssertStatus(RunStatus.Ok, outcome);

        var snapshot = HostInspector.Snapshot();
        var carrying = HostInspector.AllMarkers.SelectMany(m => HostInspector.ProcessesCarrying(m, snapshot)).ToList();
        Assert.True(carrying.Count == 0, "processes of the battery are still alive:\n  " + HostInspector.Describe(carrying));
        var (ours, _) = HostInspector.SandboxProcesses(snapshot);
        Assert.True(ours.Count == 0, "slot-uid processes remain under this test process's supervisors:\n  " + HostInspector.Describe(ours));
        var orphans = await HostInspector.PersistentOrphansAsync(TimeSpan.FromSeconds(2));
        Assert.True(orphans.Count == 0, "slot-uid processes live outside any supervisor's tree:\n  " + HostInspector.Describe(orphans));
        var files = HostInspector.AllMarkers.SelectMany(m => HostInspector.FilesNamedAfter(m, StagingRootPath)).ToList();
        Assert.True(files.Count == 0, "files written by the battery exist on the host:\n  " + HostInspector.Describe(files));
        // The supervisors themselves are still there and still ours: no candidate managed to kill one.
        Assert.NotEmpty(HostInspector.OwnSupervisors(snapshot));
    }
}
