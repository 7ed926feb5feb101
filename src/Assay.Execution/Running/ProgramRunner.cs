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
    private readonly SemaphoreSlim _judging;
    private readonly ConcurrentDictionary<string, Lazy<Task<PreparedProgram>>> _preparing = new();
    private readonly string _programsDir;
    private readonly string _workDir;

    /// <param name="concurrency">Programs that judging keeps running at once (default: one per sandbox); at most the
    /// sandbox's size. A runner may have more sandboxes than that, for programs that mostly wait (see <see cref="Create"/>).</param>
    public ProgramRunner(BubblewrapSandbox sandbox, ToolchainCatalog catalog, int? concurrency = null)
    {
        ArgumentNullException.ThrowIfNull(sandbox);
        _sandbox = sandbox;
        Concurrency = Math.Clamp(concurrency ?? sandbox.Concurrency, 1, sandbox.Concurrency);
        _judging = new SemaphoreSlim(Concurrency, Concurrency);
        Catalog = catalog;
        _programsDir = MakeDir(Path.Combine(sandbox.Host.StagingRoot, "programs"));
        _workDir = MakeDir(Path.Combine(sandbox.Host.StagingRoot, "work"));
    }

    public ToolchainCatalog Catalog { get; }

    /// <summary>
    /// How many programs judging runs at once: one per core by default, as judged programs are mostly CPU-bound
    /// and their CPU-time limits assume a core each (their wall-clock backstops would fire first on an
    /// oversubscribed machine).
    /// </summary>
    public int Concurrency { get; }

    /// <summary>Sandboxes that can run at once: at least <see cref="Concurrency"/>, more for programs that mostly wait.</summary>
    public int Sandboxes => _sandbox.Concurrency;

    /// <summary>
    /// Sets up a runner on this host: finds bubblewrap and the supervisor and loads the toolchain files.
    /// Returns the runner, or a message saying exactly what is missing.
    /// </summary>
    /// <param name="concurrency">Programs judging runs at once (default: the number of cores).</param>
    /// <param name="sandboxes">Sandboxes in all (default and minimum: <paramref name="concurrency"/>); the HTTP
    /// service's `/run_code` uses the ones beyond, as a program that sleeps or waits holds a sandbox but no core.</param>
    public static (ProgramRunner? Runner, string? Problem) Create(int? concurrency = null, ToolchainCatalog? catalog = null, int? sandboxes = null)
    {
        var probe = SandboxHost.Probe();
        if (probe.Host is null) return (null, probe.Problem);
        var cores = concurrency ?? System.Environment.ProcessorCount;
        var sandbox = new BubblewrapSandbox(probe.Host, Math.Max(cores, sandboxes ?? cores));
        return (new ProgramRunner(sandbox, catalog ?? ToolchainCatalog.LoadDefault(), cores), null);
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
    public Task<ProcessReport> RunPreparedAsync(PreparedProgram program, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        CancellationToken cancellationToken = default) => RunPreparedAsync(program, stdin, limits, SandboxLane.Judging, cancellationToken);

    /// <summary>Runs a prepared program once in a sandbox of <paramref name="lane"/>.</summary>
    public async Task<ProcessReport> RunPreparedAsync(PreparedProgram program, ReadOnlyMemory<byte> stdin, ResourceLimits limits, SandboxLane lane,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(limits);
        if (!program.IsRunnable)
            return new ProcessReport { Status = RunStatus.CompileError, Message = "compilation failed" };
        var files = Directory.EnumerateFileSystemEntries(program.Directory)
            .Select(path => (path, Path.GetFileName(path)))
            .ToList();
        var result = await RunInLaneAsync(RunRequest(program, files, limits, stdin), lane, cancellationToken);
        return ToReport(result, limits, program.Toolchain.Definition.MemorySignals);
    }

    /// <summary>Runs a prepared program once in a judging sandbox, its stdout streamed to <paramref name="onStdout"/>.</summary>
    public async Task<ProcessReport> RunPreparedStreamingAsync(PreparedProgram program, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        Action<ReadOnlyMemory<byte>> onStdout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(onStdout);
        if (!program.IsRunnable)
            return new ProcessReport { Status = RunStatus.CompileError, Message = "compilation failed" };
        var files = Directory.EnumerateFileSystemEntries(program.Directory).Select(path => (path, Path.GetFileName(path))).ToList();
        var request = RunRequest(program, files, limits, stdin) with { OnStdout = onStdout };
        return ToReport(await RunInLaneAsync(request, SandboxLane.Judging, cancellationToken), limits, program.Toolchain.Definition.MemorySignals);
    }

    /// <summary>The sandbox request that runs a prepared program with these files in its working directory.</summary>
    private static SandboxRequest RunRequest(PreparedProgram program, List<(string, string)> files, ResourceLimits limits, ReadOnlyMemory<byte> stdin) => new()
    {
        Command = program.RunCommand,
        Environment = program.Toolchain.Environment,
        Mounts = program.Toolchain.Mounts,
        WorkDirFiles = files,
        Limits = limits,
        Stdin = stdin,
    };

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
            var result = await RunInLaneAsync(RunRequest(program, files, limits, stdin), SandboxLane.Judging, cancellationToken);
            return ToReport(result, limits, program.Toolchain.Definition.MemorySignals);
        }
        finally
        {
            TryDelete(extra);
        }
    }

    /// <summary>Compiles (when needed) and runs a program once: what `assay run` does.</summary>
    public Task<RunReport> RunAsync(Toolchain toolchain, string source, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        CancellationToken cancellationToken = default) => RunAsync(toolchain, source, stdin, limits, SandboxLane.Judging, cancellationToken);

    /// <summary>As above, the run in a sandbox of <paramref name="lane"/> (a compile always uses a judging sandbox: it is CPU-bound).</summary>
    public async Task<RunReport> RunAsync(Toolchain toolchain, string source, ReadOnlyMemory<byte> stdin, ResourceLimits limits, SandboxLane lane,
        CancellationToken cancellationToken = default)
    {
        var prepared = await PrepareAsync(toolchain, source, cancellationToken);
        if (!prepared.IsRunnable)
            return new RunReport(new ProcessReport { Status = RunStatus.CompileError, Message = "not run: compilation failed" }, prepared.Compile);
        var run = await RunPreparedAsync(prepared, stdin, limits, lane, cancellationToken);
        return new RunReport(run, prepared.Compile);
    }

    /// <summary>
    /// A judging run waits for one of the <see cref="Concurrency"/> judging sandboxes; a spare run takes any free
    /// sandbox, so the judging ones are never all taken by spare runs as long as those are bounded by
    /// <see cref="Sandboxes"/> − <see cref="Concurrency"/> (the HTTP service bounds them so).
    /// </summary>
    private async Task<SandboxResult> RunInLaneAsync(SandboxRequest request, SandboxLane lane, CancellationToken cancellationToken)
    {
        if (lane == SandboxLane.Spare) return await _sandbox.RunAsync(request, cancellationToken);
        await _judging.WaitAsync(cancellationToken);
        try
        {
            return await _sandbox.RunAsync(request, cancellationToken);
        }
        finally
        {
            _judging.Release();
        }
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
        // The key hashes the toolchain's fingerprint (which holds its source-name rules) and the source, so it
        // decides the layout too: a cached directory was staged with the same file name and commands.
        var layout = toolchain.LayoutFor(source);
        var run = ReferenceEquals(layout.RunCommand, toolchain.RunCommand) ? null : layout.RunCommand;
        if (Directory.Exists(finalDir))
        {
            if (!toolchain.IsCompiled) return new PreparedProgram(toolchain, key, finalDir, null, run);
            if (File.Exists(compileReportPath))
            {
                var cached = JsonSerializer.Deserialize<ProcessReport>(await File.ReadAllTextAsync(compileReportPath, cancellationToken), JsonOptions);
                if (cached is not null) return new PreparedProgram(toolchain, key, finalDir, cached with { Cached = true }, run);
            }
        }

        // Stage into a private directory with an unguessable name, then publish it atomically under its key.
        var staging = MakeDir(Path.Combine(_workDir, Guid.NewGuid().ToString("N")));
        try
        {
            await File.WriteAllTextAsync(Path.Combine(staging, layout.SourceFile), source, cancellationToken);
            foreach (var (name, content) in toolchain.Definition.Files)
                await File.WriteAllTextAsync(Path.Combine(staging, name), content, cancellationToken);
            ProcessReport? compile = null;
            if (layout.CompileCommand is { } command)
            {
                var limits = toolchain.CompileLimits;
                var result = await RunInLaneAsync(new SandboxRequest
                {
                    Command = command,
                    Environment = toolchain.Environment,
                    Mounts = toolchain.Mounts,
                    WritableWorkDir = staging,
                    Limits = limits,
                }, SandboxLane.Judging, cancellationToken);
                compile = ToReport(result, limits);
                if (compile.Status is RunStatus.SandboxError or RunStatus.TimeLimit)
                    return new PreparedProgram(toolchain, key, staging, compile, run); // not cached: may pass next time
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
            return new PreparedProgram(toolchain, key, finalDir, compile, run);
        }
        finally
        {
            if (Directory.Exists(staging)) TryDelete(staging);
        }
    }

    /// <param name="memorySignals">The program's language's (<see cref="Core.Languages.Language.MemorySignals"/>); none for a compiler.</param>
    internal static ProcessReport ToReport(SandboxResult result, ResourceLimits limits, IReadOnlyList<string>? memorySignals = null)
    {
        var stderr = Encoding.UTF8.GetString(result.Stderr);
        var (status, exitCode, signal, message) = TerminationClassifier.Classify(result.Termination, limits, stderr, memorySignals);
        var t = result.Termination;
        return new ProcessReport
        {
            Status = status,
            ExitCode = exitCode,
            Signal = signal,
            Stdout = Encoding.UTF8.GetString(result.Stdout),
            Stderr = stderr,
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

    public void Dispose()
    {
        _sandbox.Dispose();
        _judging.Dispose();
    }
}

/// <summary>Which of a runner's sandboxes a run uses.</summary>
public enum SandboxLane
{
    /// <summary>One of the <see cref="ProgramRunner.Concurrency"/> sandboxes judging keeps busy, about one per core.</summary>
    Judging,

    /// <summary>A sandbox beyond those, for runs that may spend their time waiting (the HTTP service's `/run_code`).</summary>
    Spare,
}
