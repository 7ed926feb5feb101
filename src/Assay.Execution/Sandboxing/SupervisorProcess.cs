using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Assay.Core.Execution;

namespace Assay.Execution.Sandboxing;

/// <summary>
/// One long-lived `assay-supervisor serve` process. Starting a process from .NET costs milliseconds on these
/// machines; the supervisor is started once and then forks bubblewrap per run, so a run pays only for the
/// sandbox itself. Not thread-safe: the pool gives each supervisor to one caller at a time.
/// </summary>
internal sealed class SupervisorProcess : IDisposable
{
    private readonly string _supervisorPath;
    private Process? _process;
    private Stream? _toSupervisor;
    private Stream? _fromSupervisor;

    public SupervisorProcess(string supervisorPath) => _supervisorPath = supervisorPath;

    /// <summary>
    /// Sends one run and waits for its report. Infrastructure faults come back as a setup error. With
    /// <paramref name="onStdout"/> the run's stdout is handed over chunk by chunk while it runs (and is not in the result).
    /// </summary>
    public async Task<SandboxResult> RunAsync(IReadOnlyList<string> options, IReadOnlyList<string> argv, ReadOnlyMemory<byte> stdin,
        Action<ReadOnlyMemory<byte>>? onStdout, CancellationToken cancellationToken)
    {
        try
        {
            EnsureStarted();
            var frame = BuildFrame(onStdout is null ? options : [.. options, "stream_stdout=1"], argv, stdin);
            await _toSupervisor!.WriteAsync(frame, cancellationToken);
            await _toSupervisor.FlushAsync(cancellationToken);
            byte[] meta;
            while (true)
            {
                var (blob, isChunk) = await ReadFrameAsync(cancellationToken);
                if (!isChunk)
                {
                    meta = blob;
                    break;
                }
                if (onStdout is null) throw new InvalidOperationException("the supervisor streamed output that was not asked for");
                try
                {
                    onStdout(blob);
                }
                catch
                {
                    Kill(); // the rest of this exchange is still on the wire: the next run must not read it
                    throw;
                }
            }
            var stdout = await ReadBlobAsync(cancellationToken);
            var stderr = await ReadBlobAsync(cancellationToken);
            return ParseReport(Encoding.UTF8.GetString(meta), stdout, stderr);
        }
        catch (Exception ex) when (ex is IOException or EndOfStreamException or InvalidOperationException or System.ComponentModel.Win32Exception)
        {
            // The supervisor died or could not start: the run's state is unknown, so it is Assay's fault, not the candidate's.
            Kill();
            return new SandboxResult(new Termination { Kind = TerminationKind.SetupError, Error = "supervisor failed: " + ex.Message }, [], [], 0);
        }
        catch (OperationCanceledException)
        {
            Kill(); // a half-finished exchange cannot be resumed
            throw;
        }
    }

    private void EnsureStarted()
    {
        if (_process is { HasExited: false }) return;
        Kill();
        var psi = new ProcessStartInfo(_supervisorPath, "serve")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = false,
            UseShellExecute = false,
        };
        // The supervisor needs nothing from Assay's environment, and nothing of it should reach a sandbox.
        psi.Environment.Clear();
        _process = Process.Start(psi) ?? throw new InvalidOperationException("could not start " + _supervisorPath);
        _toSupervisor = _process.StandardInput.BaseStream;
        _fromSupervisor = _process.StandardOutput.BaseStream;
    }

    private static byte[] BuildFrame(IReadOnlyList<string> options, IReadOnlyList<string> argv, ReadOnlyMemory<byte> stdin)
    {
        using var body = new MemoryStream();
        foreach (var option in options) WriteZ(body, option);
        body.WriteByte(0);
        foreach (var arg in argv) WriteZ(body, arg);
        var frame = new byte[4 + body.Length + 4 + stdin.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(frame, (uint)body.Length);
        body.GetBuffer().AsSpan(0, (int)body.Length).CopyTo(frame.AsSpan(4));
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4 + (int)body.Length), (uint)stdin.Length);
        stdin.Span.CopyTo(frame.AsSpan(8 + (int)body.Length));
        return frame;

        static void WriteZ(MemoryStream s, string text)
        {
            if (text.Contains('\0', StringComparison.Ordinal))
                throw new ArgumentException("sandbox arguments cannot contain NUL characters");
            s.Write(Encoding.UTF8.GetBytes(text));
            s.WriteByte(0);
        }
    }

    private async Task<byte[]> ReadBlobAsync(CancellationToken cancellationToken)
    {
        var (blob, isChunk) = await ReadFrameAsync(cancellationToken);
        return isChunk ? throw new InvalidOperationException("the supervisor sent a stdout chunk inside a response") : blob;
    }

    /// <summary>One length-prefixed frame; a length with the high bit set marks a streamed stdout chunk.</summary>
    private async Task<(byte[] Blob, bool IsChunk)> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var header = new byte[4];
        await _fromSupervisor!.ReadExactlyAsync(header, cancellationToken);
        var length = BinaryPrimitives.ReadUInt32LittleEndian(header);
        var isChunk = (length & 0x8000_0000u) != 0;
        var blob = new byte[length & 0x7FFF_FFFFu];
        await _fromSupervisor.ReadExactlyAsync(blob, cancellationToken);
        return (blob, isChunk);
    }

    internal static SandboxResult ParseReport(string meta, byte[] stdout, byte[] stderr)
    {
        var fields = new Dictionary<string, string>();
        foreach (var line in meta.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0) fields[line[..eq]] = line[(eq + 1)..];
        }
        long Long(string key) => fields.TryGetValue(key, out var v) && long.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var kind = fields.GetValueOrDefault("outcome") switch
        {
            "exited" => TerminationKind.Exited,
            "killed" => TerminationKind.Killed,
            "exec_error" => TerminationKind.ExecError,
            _ => TerminationKind.SetupError,
        };
        KillReason? killedFor = fields.GetValueOrDefault("killed_for") switch
        {
            "wall_time" => KillReason.WallTime,
            "cpu_time" => KillReason.CpuTime,
            "output" => KillReason.Output,
            "memory" => KillReason.Memory,
            _ => null,
        };
        int? exitCode = fields.TryGetValue("exit_code", out var ec) ? int.Parse(ec, CultureInfo.InvariantCulture) : null;
        var cgroupVersion = fields.TryGetValue("cgroup", out var cg) && cg.Length == 2 ? cg[1] - '0' : 0;
        // Peak memory: the run's cgroup peak when there is one (it covers the whole process tree, including files
        // written to the sandbox's tmpfs); otherwise the largest resident set the kernel reported for the tree.
        var peak = Long("cgroup_peak_kb") is > 0 and var cgPeak ? cgPeak : Long("maxrss_kb");
        var termination = new Termination
        {
            Kind = kind,
            WrapperExitCode = exitCode,
            KilledFor = killedFor,
            OomKilled = Long("oom_killed") == 1,
            StdoutTruncated = Long("stdout_truncated") == 1,
            StderrTruncated = Long("stderr_truncated") == 1,
            WallTimeMs = Long("wall_us") / 1000.0,
            CpuTimeMs = Long("cpu_us") / 1000.0,
            PeakMemoryKb = peak,
            Error = fields.GetValueOrDefault("error") ?? (kind == TerminationKind.SetupError && stderr.Length > 0
                ? Encoding.UTF8.GetString(stderr).Trim() : null),
        };
        return new SandboxResult(termination, stdout, stderr, cgroupVersion);
    }

    private void Kill()
    {
        if (_process is null) return;
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        _process.Dispose();
        _process = null;
    }

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            // Closing stdin lets the supervisor remove its cgroups and exit on its own.
            try { _toSupervisor?.Close(); } catch (IOException) { }
            if (!_process.WaitForExit(2000)) Kill();
        }
        _process?.Dispose();
        _process = null;
    }
}
