using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Assay.Server.Tests.Support;

/// <summary>
/// A real `assay serve --port 0` process on loopback (<see cref="AssayProcess"/>'s start, with its log read line by
/// line to learn the address), stopped on dispose.
/// </summary>
public sealed partial class AssayServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private AssayServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Pid => _process.Id;

    public string Output
    {
        get
        {
            lock (_output) return string.Join('\n', _output);
        }
    }

    [GeneratedRegex(@"listening on (http://\S+)")]
    private static partial Regex Listening();

    public static Task<AssayServeProcess> StartAsync(params string[] extra) => StartAsync(new Dictionary<string, string>(), extra);

    /// <summary>As above, with <paramref name="environment"/> added to the process's environment.</summary>
    public static async Task<AssayServeProcess> StartAsync(IReadOnlyDictionary<string, string> environment, params string[] extra)
    {
        var info = AssayProcess.StartInfo(new[] { "serve", "--port", "0", "--host", "127.0.0.1", "-j", "2" }.Concat(extra), environment);
        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start dotnet");
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var lines = new List<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (Listening().Match(e.Data) is { Success: true } m) address.TrySetResult(new Uri(m.Groups[1].Value));
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (lines) lines.Add("stderr: " + e.Data);
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var started = await Task.WhenAny(address.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(60)));
        if (started != address.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            lock (lines) throw new InvalidOperationException("assay serve did not start:\n" + string.Join('\n', lines));
        }
        var server = new AssayServeProcess(process, await address.Task);
        lock (lines) server._output.AddRange(lines);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (server._output) server._output.Add(e.Data);
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null) lock (server._output) server._output.Add("stderr: " + e.Data);
        };
        return server;
    }

    /// <summary>Sends SIGTERM, as a process supervisor does.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
