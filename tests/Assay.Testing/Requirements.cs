using System.Collections.Concurrent;
using Assay.Execution.Running;

namespace Assay.Testing;

/// <summary>
/// What this machine offers the tests: the sandbox, each language's toolchain, the shared benchmark data. Each
/// answer is null when the requirement is met, or the reason a test that needs it is skipped.
/// </summary>
public static class Requirements
{
    /// <summary>
    /// One runner, created once, only to probe: it resolves toolchains the way every verb does and never runs a
    /// program, so it starts no sandbox.
    /// </summary>
    private static readonly Lazy<(ProgramRunner? Runner, string? Problem)> Probe = new(() => ProgramRunner.Create(concurrency: 1));

    private static readonly ConcurrentDictionary<string, string?> ToolchainProblems = new(StringComparer.Ordinal);

    /// <summary>Why nothing can run in the sandbox here (bubblewrap, the supervisor), or null.</summary>
    public static string? SandboxHostProblem => Probe.Value.Problem is { } problem ? "sandbox unavailable: " + problem : null;

    /// <summary>Why sandboxed tests cannot run here, or null: they need the sandbox and Python, which most of them run.</summary>
    public static string? SandboxProblem => ToolchainProblem("python");

    /// <summary>Why programs in <paramref name="language"/> cannot run here (no sandbox, no toolchain file, toolchain not installed), or null.</summary>
    public static string? ToolchainProblem(string language) => ToolchainProblems.GetOrAdd(language, static language =>
    {
        if (SandboxHostProblem is { } sandbox) return sandbox;
        var resolution = Probe.Value.Runner!.ResolveLanguage(language);
        if (resolution is null) return $"no toolchain file for `{language}`";
        return resolution.Toolchain is null ? $"{language} toolchain missing: {resolution.Problem}" : null;
    });

    /// <summary>The first of <paramref name="languages"/> whose programs cannot run here, as its reason, or null.</summary>
    public static string? ToolchainProblem(IEnumerable<string> languages) =>
        languages.Select(ToolchainProblem).FirstOrDefault(problem => problem is not null) ?? SandboxHostProblem;

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

    /// <summary>A file or directory in the repository, by its path under the root.</summary>
    public static string Repo(string relative) =>
        Path.Combine(RepoRoot ?? throw new InvalidOperationException("no Assay.slnx above " + AppContext.BaseDirectory), relative);

    /// <summary>The shared benchmark data (../shared/data from the repository root), read-only.</summary>
    public static string? DataDir => RepoRoot is { } root ? Path.GetFullPath(Path.Combine(root, "..", "shared", "data")) : null;

    /// <summary>A file in the shared data, by its path under the data directory.</summary>
    public static string Data(string relative) =>
        Path.Combine(DataDir ?? throw new InvalidOperationException("no repository root above " + AppContext.BaseDirectory), relative);

    /// <summary>Why one of the shared data files is not here, or null when all of them are.</summary>
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
