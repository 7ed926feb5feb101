namespace Assay.Cli;

/// <summary>The process exit codes every verb uses; part of the public contract.</summary>
public static class ExitCodes
{
    /// <summary>The work happened (whatever the candidate programs did).</summary>
    public const int Success = 0;

    /// <summary>Assay itself failed: the sandbox could not run, a toolchain is missing, an internal error.</summary>
    public const int AssayFault = 1;

    /// <summary>Bad usage or bad input: unknown option or language, unreadable file, malformed data.</summary>
    public const int BadInput = 2;

    /// <summary>Interrupted by Ctrl-C (SIGINT) before the work was done: 128 + 2, as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Stopped by SIGTERM before the work was done: 128 + 15.</summary>
    public const int Terminated = 143;

    // `assay run --exit-code` exits with the program's own code; these say how it ended when it has none. Shells and
    // timeout(1) use 124 and above for "did not run to its own end", so a program's usual codes keep their meaning.

    /// <summary>`--exit-code`: the program was stopped for writing more than the output limit.</summary>
    public const int ProgramOutputLimit = 123;

    /// <summary>`--exit-code`: the program ran out of its time limit (timeout(1)'s code).</summary>
    public const int ProgramTimeLimit = 124;

    /// <summary>`--exit-code`: the program ran out of its memory limit.</summary>
    public const int ProgramMemoryLimit = 125;

    /// <summary>`--exit-code`: the program did not compile, so it never ran (a shell's "cannot execute").</summary>
    public const int ProgramCompileError = 126;

    /// <summary>`--exit-code`: a signal N not caused by a limit ended the program (the shell's 128 + N).</summary>
    public const int ProgramSignalBase = 128;

    /// <summary>
    /// What `assay run --exit-code` exits with: the program's exit code, else how it ended. A sandbox fault is
    /// <see cref="AssayFault"/> with or without the option (the caller checks it first).
    /// </summary>
    public static int OfProgram(Assay.Core.Execution.RunReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Status switch
        {
            Assay.Core.Execution.RunStatus.CompileError => ProgramCompileError,
            Assay.Core.Execution.RunStatus.TimeLimit => ProgramTimeLimit,
            Assay.Core.Execution.RunStatus.MemoryLimit => ProgramMemoryLimit,
            Assay.Core.Execution.RunStatus.OutputLimit => ProgramOutputLimit,
            Assay.Core.Execution.RunStatus.SandboxError => AssayFault,
            _ when report.Run.ExitCode is { } code => code,
            _ when report.Run.Signal is { } signal => ProgramSignalBase + signal,
            _ => AssayFault,
        };
    }
}
