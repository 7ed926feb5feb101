using Assay.Core.Execution;
using Assay.Execution.Toolchains;

namespace Assay.Execution.Running;

/// <summary>
/// What the judges need from the sandbox: languages, preparing (compiling) a program once, and running it with
/// limits. <see cref="ProgramRunner"/> is the real one (bubblewrap); unit tests of the pipeline, the judging modes
/// and the server put a fake of their own behind this seam, beside the suites that use the real sandbox.
/// </summary>
public interface IProgramRunner
{
    /// <summary>The languages this runner knows.</summary>
    ToolchainCatalog Catalog { get; }

    /// <summary>How many programs may run at once.</summary>
    int Concurrency { get; }

    /// <summary>A language's toolchain on this host, or why it is unavailable; null for a name no toolchain has.</summary>
    ToolchainResolution? ResolveLanguage(string language);

    /// <summary>Compiles one program, or finds it already compiled; equal sources are compiled once.</summary>
    Task<PreparedProgram> PrepareAsync(Toolchain toolchain, string source, CancellationToken cancellationToken = default);

    /// <summary>Runs a prepared program once. A program that failed to compile reports that, without running.</summary>
    Task<ProcessReport> RunPreparedAsync(PreparedProgram program, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// Runs a prepared program once, handing its stdout to <paramref name="onStdout"/> as it arrives (a judge that
    /// reports candidates one by one in one run); the report's own stdout is then empty. This default hands it
    /// over in one piece when the run ends, for runners that cannot stream (the fakes of unit tests).
    /// </summary>
    async Task<ProcessReport> RunPreparedStreamingAsync(PreparedProgram program, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        Action<ReadOnlyMemory<byte>> onStdout, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onStdout);
        var report = await RunPreparedAsync(program, stdin, limits, cancellationToken);
        onStdout(System.Text.Encoding.UTF8.GetBytes(report.Stdout));
        return report with { Stdout = "" };
    }

    /// <summary>Compiles (when needed) and runs a program once: what `assay run` does.</summary>
    Task<RunReport> RunAsync(Toolchain toolchain, string source, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        CancellationToken cancellationToken = default);

    /// <summary>Runs a prepared program once with extra read-only files beside it (a checker's input, expected and actual output).</summary>
    Task<ProcessReport> RunPreparedAsync(PreparedProgram program, ReadOnlyMemory<byte> stdin, ResourceLimits limits,
        IReadOnlyList<(string Name, byte[] Content)> extraFiles, CancellationToken cancellationToken = default);
}
