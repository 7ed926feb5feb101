using Assay.Execution.Running;

namespace Assay.Evaluation.Tests.Support;

/// <summary>What this machine offers the tests: the sandbox with Python, and the shared benchmark data.</summary>
internal static class Requirements
{
    private static readonly Lazy<string?> SandboxProblemLazy = new(() =>
    {
        var (runner, problem) = ProgramRunner.Create(concurrency: 1);
        if (runner is null) return "sandbox unavailable: " + problem;
        using (runner)
        {
            var python = runner.ResolveLanguage("python");
            if (python is null) return "no python toolchain file";
            return python.Toolchain is null ? "python toolchain missing: " + python.Problem : null;
        }
    });

    /// <summary>Why sandboxed tests cannot run here, or null when they can.</summary>
    public static string? SandboxProblem => SandboxProblemLazy.Value;

    /// <summary>The repository root: the nearest directory above the test assembly holding Assay.slnx.</summary>
    public static string? RepoRoot
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Assay.slnx"))) return dir.FullName;
            }
            return null;
        }
    }

    /// <summary>The shared benchmark data (../shared/data from the repository root), read-only.</summary>
    public static string? DataDir => RepoRoot is { } root ? Path.GetFullPath(Path.Combine(root, "..", "shared", "data")) : null;

    /// <summary>A file in the shared data, by its path under the data directory.</summary>
    public static string Data(string relative) =>
        Path.Combine(DataDir ?? throw new InvalidOperationException("no repository root above " + AppContext.BaseDirectory), relative);

    public static string? DataProblem(params string[] relativePaths)
    {
        if (DataDir is not { } dir) return "real data unavailable: no Assay.slnx above " + AppContext.BaseDirectory;
        foreach (var relative in relativePaths)
        {
            var path = Path.Combine(dir, relative);
            if (!File.Exists(path)) return $"real data unavailable: {path} is missing (see ../shared/data/README.md)";
        }
        return null;
    }
}

/// <summary>A fact that runs programs in the real sandbox; skipped, with the reason, where there is none.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute()
    {
        if (Requirements.SandboxProblem is { } problem) Skip = problem;
    }
}

/// <summary>The same for theories.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SandboxTheoryAttribute : TheoryAttribute
{
    public SandboxTheoryAttribute()
    {
        if (Requirements.SandboxProblem is { } problem) Skip = problem;
    }
}

/// <summary>A fact on the shared benchmark data (and the sandbox); skipped, saying what is missing, without them.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute(params string[] files)
    {
        if (Requirements.DataProblem(files) is { } data) Skip = data;
        else if (Requirements.SandboxProblem is { } sandbox) Skip = sandbox;
    }
}

/// <summary>
/// Tests that run programs share one collection so they run one after another: they all use every core, and
/// running them side by side would only stretch the wall-clock backstops of each other's time limits.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SandboxCollection
{
    public const string Name = "sandbox";
}
