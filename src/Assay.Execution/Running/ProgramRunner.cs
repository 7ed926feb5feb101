using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Assay.Core.Execution;
using Assay.Execution.Sandboxing;
using Assay.Execution.Toolchains;

namespace Assay.Execution.Running;

/// <summary>
/// Runs programs of any configured language in the sandbox: stages the source, compiles it once per
/// distinct content (a content-addressed cache shared by every run of this process and later ones), and
/// runs the result with the toolchain's limits and the caller's overrides.
/// </summary>
public sealed class ProgramRunner : IProgramRunner, IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private readonly BubblewrapSandbox _sandbox;
    private readonly ConcurrentDictionary<string, Lazy<Task<PreparedProgram>>> _preparing = new();
    private readonly string _programsDir;
    private readonly string _workDir;

    public ProgramRunner(BubblewrapSandbox sandbox, ToolchainCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        _sandbox = sandbox;
        Catalog = catalog;
        _programsDir = MakeDir(Path.Combine(sandbox.Host.StagingRoot, "programs"));
        _workDir = MakeDir(Path.Combine(sandbox.Host.StagingRoot, "work"));
    }

    public ToolchainCatalog Catalog { get; }

    public int Concurrency => _sandbox.Concurrency;

    /// <summary>
    /// Sets up a runner on this host: finds bubblewrap and the supervisor and loads the toolchain files.
    /// Returns the runner, or a message saying exactly what is missing.
    /// </summary>
    public static (ProgramRunner? Runner, string? Problem) Create(int? concurrency = null, ToolchainCatalog? catalog = null)
    {
        var probe = SandboxHost.Probe();
        if (probe.Host is null) return (null, probe.Problem);
        var sandbox = new BubblewrapSandbox(probe.Host, concurrency ?? System.Environment.ProcessorCount);
        return (new ProgramRunner(sandbox, catalog ?? ToolchainCatalog.LoadDefault()), null);
    }

    /// <summary>Finds a language's toolchain on this host, or says why it is unavailable.</summary>
    public ToolchainResolution? ResolveLanguage(string language)
    {
        var definition = Catalog.Find(language);
        return definition is null ? null : Catalog.Resolve(definition, _sandbox.Host.DropsPrivileges);
    }

    /// <summary>Compiles one program, or finds it already compiled; equal sources are compiled once.</summary>
    public Task<PreparedProgram> PrepareAsync(Toolchain toolchain, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(toolchain);
        ArgumentNullException.ThrowIfNull(source);
        var key = ProgramKey(toolchain, source);
        var mine = new Lazy<Task<PreparedProgram>>(() => PrepareNowAsync(toolchain, source, key, cancellationToken));
        var lazy = _preparing.GetOrAdd(key, mine);
        return AwaitPrepared(key, lazy, reused: !ReferenceEquals(lazy, mine));
    }

    private async Task<PreparedProgram> AwaitPrepared(string key, Lazy<Task<PreparedProgram>> lazy, bool reused)
    {
        try
        {
            var prepared = await lazy.Value;
            // A caller that found the program already prepared (or being prepared) by another did not compile it.
            if (reused && prepared.Compile is { } compile) prepared = prepared with { Compile = compile with { Cached = true } };
            // Failures that were not the program's fault are not remembered: the next caller tries again.
            if (prepared.Compile is { Status: RunStatus.SandboxError or RunStatus.TimeLimit }) _preparing.TryRemove(key, out _);
            return prepared;
        }
        catch
        {
            _preparing.TryRemove(key, out _);
            throw;
        }
    }

    /// <summary>Runs a prepared program once. A program that failed to compile reports that, without running.</summary>
    public async Task<ProcessReport> RunPreparedAsync(PreparedProgram program, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(limits);
        if (!program.IsRunnable)
            return new ProcessReport { Status = RunStatus.CompileError, Message = "compilation failed" };
        var files = Directory.EnumerateFileSystemEntries(program.Directory)
            .Select(path => (path, Path.GetFileName(path)))
            .ToList();
        var request = new SandboxRequest
        {
            Command = program.Toolchain.RunCommand,
            Environment = program.Toolchain.Environment,
            Mounts = program.Toolchain.Mounts,
            WorkDirFiles = files,
            Limits = limits,
            Stdin = stdin,
        };
        var result = await _sandbox.RunAsync(request, cancellationToken);
        return ToReport(result, limits);
    }

    /// <summary>
    /// Runs a prepared program once with extra files beside it in its working directory (read-only): a
    /// checker's input, expected and actual output.
    /// </summary>
    public async Task<ProcessReport> RunPreparedAsync(PreparedProgram program, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        IReadOnlyList<(string Name, byte[] Content)> extraFiles, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(extraFiles);
        if (!program.IsRunnable)
            return new ProcessReport { Status = RunStatus.CompileError, Message = "compilation failed" };
        var extra = MakeDir(Path.Combine(_workDir, Guid.NewGuid().ToString("N")));
        try
        {
            File.SetUnixFileMode(extra, (UnixFileMode)0b111_101_101);
            var files = Directory.EnumerateFileSystemEntries(program.Directory).Select(path => (path, Path.GetFileName(path))).ToList();
            foreach (var (name, content) in extraFiles)
            {
                if (name.Contains('/', StringComparison.Ordinal) || files.Any(f => f.Item2 == name))
                    throw new ArgumentException($"extra file name {name} is not a plain new name", nameof(extraFiles));
                var path = Path.Combine(extra, name);
                await File.WriteAllBytesAsync(path, content, cancellationToken);
                File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
                files.Add((path, name));
            }
            var result = await _sandbox.RunAsync(new SandboxRequest
            {
                Command = program.Toolchain.RunCommand,
                Environment = program.Toolchain.Environment,
                Mounts = program.Toolchain.Mounts,
                WorkDirFiles = files,
                Limits = limits,
                Stdin = stdin,
            }, cancellationToken);
            return ToReport(result, limits);
        }
        finally
        {
            TryDelete(extra);
        }
    }

    /// <summary>Compiles (when needed) and runs a program once: what `assay run` does.</summary>
    public async Task<RunReport> RunAsync(Toolchain toolchain, string source, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        CancellationToken cancellationToken = default)
    {
        var prepared = await PrepareAsync(toolchain, source, cancellationToken);
        if (!prepared.IsRunnable)
            return new RunReport(new ProcessReport { Status = RunStatus.CompileError, Message = "not run: compilation failed" }, prepared.Compile);
        var run = await RunPreparedAsync(prepared, stdin, limits, cancellationToken);
        return new RunReport(run, prepared.Compile);
    }

    private static string ProgramKey(Toolchain toolchain, string source)
    {
        var text = toolchain.Fingerprint + "\u0000" + source;
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..32];
    }

    private async Task<PreparedProgram> PrepareNowAsync(Toolchain toolchain, string source, string key, CancellationToken cancellationToken)
    {
        var finalDir = Path.Combine(_programsDir, key);
        var compileReportPath = finalDir + ".compile.json";
        if (Directory.Exists(finalDir))
        {
            if (!toolchain.IsCompiled) return new PreparedProgram(toolchain, key, finalDir, null);
            if (File.Exists(compileReportPath))
            {
                var cached = JsonSerializer.Deserialize<ProcessReport>(await File.ReadAllTextAsync(compileReportPath, cancellationToken), JsonOptions);
                if (cached is not null) return new PreparedProgram(toolchain, key, finalDir, cached with { Cached = true });
            }
        }

        // Stage into a private directory with an unguessable name, then publish it atomically under its key.
        var staging = MakeDir(Path.Combine(_workDir, Guid.NewGuid().ToString("N")));
        try
        {
            await File.WriteAllTextAsync(Path.Combine(staging, toolchain.Definition.SourceFile), source, cancellationToken);
            foreach (var (name, content) in toolchain.Definition.Files)
                await File.WriteAllTextAsync(Path.Combine(staging, name), content, cancellationToken);
            ProcessReport? compile = null;
            if (toolchain.CompileCommand is { } command)
            {
                var limits = toolchain.CompileLimits;
                var result = await _sandbox.RunAsync(new SandboxRequest
                {
                    Command = command,
                    Environment = toolchain.Environment,
                    Mounts = toolchain.Mounts,
                    WritableWorkDir = staging,
                    Limits = limits,
                }, cancellationToken);
                compile = ToReport(result, limits);
                if (compile.Status is RunStatus.SandboxError or RunStatus.TimeLimit)
                    return new PreparedProgram(toolchain, key, staging, compile); // not cached: may pass next time
            }
            // World-readable so that every slot's uid can read the files it gets mounted.
            File.SetUnixFileMode(staging, (UnixFileMode)0b111_101_101);
            if (!Directory.Exists(finalDir))
            {
                try
                {
                    Directory.Move(staging, finalDir);
                }
                catch (IOException) when (Directory.Exists(finalDir))
                {
                    // Another process published the same program first; its copy is as good as ours.
                }
            }
            if (compile is not null)
                await File.WriteAllTextAsync(compileReportPath, JsonSerializer.Serialize(compile, JsonOptions), cancellationToken);
            return new PreparedProgram(toolchain, key, finalDir, compile);
        }
        finally
        {
            if (Directory.Exists(staging)) TryDelete(staging);
        }
    }

    internal static ProcessReport ToReport(SandboxResult result, ResourceLimits limits)
    {
        var (status, exitCode, signal, message) = TerminationClassifier.Classify(result.Termination, limits);
        var t = result.Termination;
        return new ProcessReport
        {
            Status = status,
            ExitCode = exitCode,
            Signal = signal,
            Stdout = Encoding.UTF8.GetString(result.Stdout),
            Stderr = Encoding.UTF8.GetString(result.Stderr),
            StdoutTruncated = t.StdoutTruncated,
            StderrTruncated = t.StderrTruncated,
            WallTimeMs = Math.Round(t.WallTimeMs, 3),
            CpuTimeMs = Math.Round(t.CpuTimeMs, 3),
            PeakMemoryKb = t.PeakMemoryKb,
            Message = message,
        };
    }

    private static string MakeDir(string path)
    {
        Directory.CreateDirectory(path);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return path;
    }

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover staging directory wastes disk but breaks nothing.
        }
    }

    public void Dispose() => _sandbox.Dispose();
}
