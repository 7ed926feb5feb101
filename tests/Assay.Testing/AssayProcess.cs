using System.Diagnostics;
using System.Globalization;

namespace Assay.Testing;

/// <summary>
/// The real `assay` as a separate process (`dotnet assay.dll …`, the CLI built beside the tests), for what an
/// in-process <see cref="AssayCli"/> run cannot show: process-wide environment, signals, kill -9, a server's exit.
/// Both streams are read from the start, so a chatty process never blocks on a full pipe.
/// </summary>
public sealed class AssayProcess : IDisposable
{
    /// <summary>
    /// Restores the default SIGINT/SIGTERM handling, then execs: a test host may ignore or block these signals, and a
    /// child inherits that across exec; a terminal's foreground process has the defaults. `/usr/bin/python3`, not a
    /// PATH shim (pyenv's runs python as a child, with another pid).
    /// </summary>
    private const string WithDefaultSignals =
        "import os, signal, sys\nfor s in (signal.SIGINT, signal.SIGTERM): signal.signal(s, signal.SIG_DFL)\n" +
        "signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGINT, signal.SIGTERM])\nos.execvp(sys.argv[1], sys.argv[1:])";

    private readonly Process _process;

    private AssayProcess(Process process)
    {
        _process = process;
        Stdout = process.StandardOutput.ReadToEndAsync();
        Stderr = process.StandardError.ReadToEndAsync();
    }

    /// <summary>The CLI's entry assembly, copied beside every test project's output.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "assay.dll");

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything written to stdout, complete once the process has exited.</summary>
    public Task<string> Stdout { get; }

    public Task<string> Stderr { get; }

    /// <summary>The start information for `dotnet assay.dll <paramref name="args"/>` with <paramref name="environment"/> added.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, bool defaultSignals = false)
    {
        var info = new ProcessStartInfo(defaultSignals ? "/usr/bin/python3" : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (defaultSignals)
        {
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add(WithDefaultSignals);
            info.ArgumentList.Add("dotnet");
        }
        info.ArgumentList.Add(Dll);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return info;
    }

    /// <summary>Starts `assay <paramref name="args"/>`; <paramref name="defaultSignals"/> when the test will signal it.</summary>
    public static AssayProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, bool defaultSignals = false) =>
        new(Process.Start(StartInfo(args, environment, defaultSignals)) ?? throw new InvalidOperationException("could not start dotnet"));

    /// <summary>Runs `assay <paramref name="args"/>` to the end.</summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        using var process = Start(args, environment);
        return await process.WaitAsync();
    }

    /// <summary>
    /// Runs a bash script in which `ASSAY` stands for the real `assay` command, for what needs a shell: pipes,
    /// redirections, process substitution, `$?`.
    /// </summary>
    public static async Task<CliResult> ShellAsync(string script)
    {
        var info = new ProcessStartInfo("bash", ["-c", script.Replace("ASSAY", $"dotnet '{Dll}'", StringComparison.Ordinal)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var shell = new AssayProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start bash"));
        return await shell.WaitAsync();
    }

    /// <summary>Waits for the end: its exit code and both streams.</summary>
    public async Task<CliResult> WaitAsync(CancellationToken cancel = default)
    {
        await _process.WaitForExitAsync(cancel);
        return new CliResult(_process.ExitCode, await Stdout, await Stderr);
    }

    /// <summary>Sends <paramref name="signal"/> (`TERM`, `INT`, `KILL`) with kill(1), as a supervisor or a terminal does.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, Pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0 && !_process.HasExited) throw new InvalidOperationException($"kill -{signal} {Pid} failed with exit {kill.ExitCode}");
    }

    /// <summary>SIGKILL to the process and its children (no handler runs), then waits for the end.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
        _process.Dispose();
    }
}
