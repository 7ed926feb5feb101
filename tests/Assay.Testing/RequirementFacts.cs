namespace Assay.Testing;

// Facts and theories that need something of the machine. Where it is missing the test is reported as skipped,
// with the reason (scripts/test.sh lists every skipped test), never passed silently. The checks are Requirements'.

/// <summary>A fact that runs programs in the real sandbox (with Python, which most sandboxed tests run).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute()
    {
        if (Requirements.SandboxProblem is { } problem) Skip = problem;
    }
}

/// <summary>The same for theories.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SandboxTheoryAttribute : TheoryAttribute
{
    public SandboxTheoryAttribute()
    {
        if (Requirements.SandboxProblem is { } problem) Skip = problem;
    }
}

/// <summary>A fact that needs the sandbox and some languages' toolchains, and optionally shared data files.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolchainFactAttribute : FactAttribute
{
    /// <summary>Needs the toolchain of <paramref name="language"/>.</summary>
    public ToolchainFactAttribute(string language)
        : this([language])
    {
    }

    /// <summary>Needs every one of <paramref name="languages"/> and the shared data <paramref name="files"/>.</summary>
    public ToolchainFactAttribute(string[] languages, params string[] files)
    {
        if (Requirements.DataProblem(files) is { } data) Skip = data;
        else if (Requirements.ToolchainProblem(languages) is { } missing) Skip = missing;
    }
}

/// <summary>The same for theories: the rows skip together when one of the languages is missing.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ToolchainTheoryAttribute : TheoryAttribute
{
    public ToolchainTheoryAttribute(params string[] languages)
    {
        if (Requirements.ToolchainProblem(languages) is { } missing) Skip = missing;
    }
}

/// <summary>
/// A fact that needs one more language's toolchain beside the sandbox with Python (the server's tests: the
/// server needs Python to start).
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LanguageFactAttribute : FactAttribute
{
    public LanguageFactAttribute(string language)
    {
        if ((Requirements.SandboxProblem ?? Requirements.ToolchainProblem(language)) is { } problem) Skip = problem;
    }
}

/// <summary>A fact on the shared benchmark data that also runs programs in the sandbox (with Python).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute(params string[] files)
    {
        if ((Requirements.DataProblem(files) ?? Requirements.SandboxProblem) is { } problem) Skip = problem;
    }
}

/// <summary>A fact that only reads the shared benchmark data (loaders): no sandbox needed.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class DataFactAttribute : FactAttribute
{
    public DataFactAttribute(params string[] files)
    {
        if (Requirements.DataProblem(files) is { } problem) Skip = problem;
    }
}

/// <summary>A sandbox fact that also needs root (making device nodes, acting on files only root may touch).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SandboxRootFactAttribute : FactAttribute
{
    public SandboxRootFactAttribute()
    {
        if (Requirements.SandboxProblem is { } problem) Skip = problem;
        else if (Environment.UserName != "root") Skip = "needs root (runs as " + Environment.UserName + ")";
    }
}
