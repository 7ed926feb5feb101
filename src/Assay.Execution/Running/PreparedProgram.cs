using Assay.Core.Execution;
using Assay.Execution.Toolchains;

namespace Assay.Execution.Running;

/// <summary>
/// A program ready to run any number of times: its source staged and, for compiled languages, compiled once.
/// </summary>
/// <param name="Toolchain">The toolchain that runs it.</param>
/// <param name="Key">Content hash of (toolchain fingerprint, source, extra files): equal keys mean equal programs.</param>
/// <param name="Directory">Host directory holding the files placed in the sandbox's working directory.</param>
/// <param name="Compile">The compile step's report; null for interpreted languages.</param>
/// <param name="Run">The command that runs it, when it is not the toolchain's own (it names a class read from the source).</param>
public sealed record PreparedProgram(Toolchain Toolchain, string Key, string Directory, ProcessReport? Compile, IReadOnlyList<string>? Run = null)
{
    /// <summary>The command that runs this program.</summary>
    public IReadOnlyList<string> RunCommand => Run ?? Toolchain.RunCommand;

    /// <summary>False when compilation failed: there is nothing to run.</summary>
    public bool IsRunnable => Compile is null or { Status: RunStatus.Ok };
}
