using Assay.Execution.Sandboxing;

namespace Assay.Cli.Tests;

/// <summary>Runs the real `assay` command line in-process with a capturing console.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await AssayApp.RunAsync(args, CliConsole.Capture(stdout, stderr));
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>A fact that needs the real sandbox; reported as skipped, with the reason, where there is none.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute()
    {
        if (SandboxHost.Probe().Problem is { } problem) Skip = "sandbox unavailable: " + problem;
    }
}
