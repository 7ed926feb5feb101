using System.Collections.Concurrent;
using System.Text;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Execution.Running;
using Assay.Execution.Toolchains;

namespace Assay.Evaluation.Tests.Pipeline;

/// <summary>
/// A runner behind the pipeline's seam, with no sandbox: "programs" are tiny scripts this fake interprets, so the
/// pipeline's own rules (keys, store, storable, limits, languages) are tested in milliseconds. One instruction
/// per line: `echo` (stdout = stdin), `print TEXT`, `cpu MS` (report that much CPU time), `exit N`,
/// `compile-timeout` (the compiler runs out of time), `sandbox-fault`.
/// </summary>
internal sealed class FakeRunner : IProgramRunner
{
    private readonly Dictionary<string, Toolchain> _toolchains = new(StringComparer.Ordinal);

    public FakeRunner(params string[] languages)
    {
        foreach (var name in languages)
        {
            // "fakejvm" is slow to start: its toolchain file would give it a time multiplier.
            var definition = new ToolchainDefinition
            {
                Name = name, DisplayName = name, SourceFile = "main", Run = ["./main"], TimeMultiplier = name == "fakejvm" ? 2.5 : 1.0,
            };
            _toolchains[name] = new Toolchain
            {
                Definition = definition,
                Version = "fake 1",
                CompileCommand = name == "fakec" ? ["cc"] : null,
                RunCommand = ["./main"],
                Mounts = [],
                Fingerprint = "fake-" + name,
            };
        }
        Catalog = new ToolchainCatalog(_toolchains.Values.Select(t => t.Definition));
    }

    public ToolchainCatalog Catalog { get; }

    public int Concurrency => 2;

    /// <summary>Every run: the language and the CPU limit it was given.</summary>
    public ConcurrentQueue<(string Language, string Source, double CpuLimitSeconds, double WallLimitSeconds)> Runs { get; } = new();

    public ToolchainResolution? ResolveLanguage(string language)
    {
        var definition = Catalog.Find(language);
        return definition is null ? null : new ToolchainResolution(definition, _toolchains[definition.Name], null);
    }

    public Task<PreparedProgram> PrepareAsync(Toolchain toolchain, string source, CancellationToken cancellationToken = default)
    {
        ProcessReport? compile = toolchain.IsCompiled ? new ProcessReport { Status = RunStatus.Ok } : null;
        if (source.Contains("compile-timeout", StringComparison.Ordinal)) compile = new ProcessReport { Status = RunStatus.TimeLimit, Message = "compile time limit" };
        return Task.FromResult(new PreparedProgram(toolchain, source, source, compile));
    }

    public Task<ProcessReport> RunPreparedAsync(PreparedProgram program, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        CancellationToken cancellationToken = default)
    {
        Runs.Enqueue((program.Toolchain.Name, program.Key, limits.CpuTime.TotalSeconds, limits.WallTime.TotalSeconds));
        var stdout = new StringBuilder();
        var report = new ProcessReport { Status = RunStatus.Ok, ExitCode = 0 };
        foreach (var line in program.Key.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (op, arg) = line.IndexOf(' ') is var at and > 0 ? (line[..at], line[(at + 1)..]) : (line, "");
            switch (op)
            {
                case "echo": stdout.Append(Encoding.UTF8.GetString(stdin.Span)); break;
                case "print": stdout.Append(arg).Append('\n'); break;
                case "cpu": report = report with { CpuTimeMs = double.Parse(arg, System.Globalization.CultureInfo.InvariantCulture) }; break;
                case "exit": report = report with { Status = RunStatus.RuntimeError, ExitCode = int.Parse(arg, System.Globalization.CultureInfo.InvariantCulture) }; break;
                case "sandbox-fault": return Task.FromResult(new ProcessReport { Status = RunStatus.SandboxError, Message = "fake sandbox fault" });
            }
        }
        return Task.FromResult(report with { Stdout = stdout.ToString() });
    }

    public Task<ProcessReport> RunPreparedAsync(PreparedProgram program, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        IReadOnlyList<(string Name, byte[] Content)> extraFiles, CancellationToken cancellationToken = default) =>
        RunPreparedAsync(program, stdin, limits, cancellationToken);

    public async Task<RunReport> RunAsync(Toolchain toolchain, string source, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        CancellationToken cancellationToken = default)
    {
        var prepared = await PrepareAsync(toolchain, source, cancellationToken);
        return new RunReport(await RunPreparedAsync(prepared, stdin, limits, cancellationToken), prepared.Compile);
    }
}

/// <summary>A store in memory that counts what it was asked to keep.</summary>
internal sealed class MemoryStore : IVerdictStore
{
    public ConcurrentDictionary<string, ProgramVerdict> Verdicts { get; } = new(StringComparer.Ordinal);

    public int Puts;

    public Task<IReadOnlyDictionary<string, ProgramVerdict>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, ProgramVerdict>>(keys.Where(Verdicts.ContainsKey).ToDictionary(k => k, k => Verdicts[k]));

    public void Put(string key, ProgramVerdict verdict)
    {
        Interlocked.Increment(ref Puts);
        Verdicts[key] = verdict;
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
