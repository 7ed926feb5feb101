using Assay.Execution.Running;

namespace Assay.Execution.Tests.Support;

/// <summary>
/// A fact that needs a language's toolchain on this machine. When the toolchain (or the sandbox itself) is
/// missing, the test is reported as skipped with the reason and the install command, never silently passed.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolchainFactAttribute : FactAttribute
{
    public ToolchainFactAttribute(string language)
    {
        Language = language;
        if (ToolchainAvailability.Problem(language) is { } problem) Skip = problem;
    }

    public string Language { get; }
}

/// <summary>The same check for theories (one row per language, say).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SandboxTheoryAttribute : TheoryAttribute
{
    public SandboxTheoryAttribute()
    {
        if (ToolchainAvailability.SandboxProblem is { } problem) Skip = problem;
    }
}

/// <summary>A fact that needs only the sandbox (bubblewrap) and Python, which every adversarial test uses.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute()
    {
        if (ToolchainAvailability.Problem("python") is { } problem) Skip = problem;
    }
}

internal static class ToolchainAvailability
{
    private static readonly Lazy<(ProgramRunner? Runner, string? Problem)> Probe = new(() => ProgramRunner.Create(concurrency: 1));

    public static string? SandboxProblem => Probe.Value.Problem is { } p ? "sandbox unavailable: " + p : null;

    public static string? Problem(string language)
    {
        if (SandboxProblem is { } sandbox) return sandbox;
        var resolution = Probe.Value.Runner!.ResolveLanguage(language);
        if (resolution is null) return $"no toolchain file for `{language}`";
        return resolution.Toolchain is null ? "toolchain missing: " + resolution.Problem : null;
    }
}
