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
}
