using Assay.Evaluation.Tests.Support;
using Assay.Execution.Running;

namespace Assay.Evaluation.Tests.MultiLanguage;

/// <summary>
/// A fact that needs the sandbox, some languages' toolchains and (optionally) shared data files; skipped, saying
/// which is missing, without them.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolchainFactAttribute : FactAttribute
{
    public ToolchainFactAttribute(string[] languages, params string[] files)
    {
        if (Requirements.DataProblem(files) is { } data) Skip = data;
        else if (Requirements.SandboxProblem is { } sandbox) Skip = sandbox;
        else if (MissingToolchain(languages) is { } missing) Skip = missing;
    }

    private static string? MissingToolchain(IEnumerable<string> languages)
    {
        var (runner, problem) = ProgramRunner.Create(concurrency: 1);
        if (runner is null) return "sandbox unavailable: " + problem;
        using (runner)
        {
            foreach (var language in languages)
            {
                var resolved = runner.ResolveLanguage(language);
                if (resolved?.Toolchain is null) return $"{language} toolchain unavailable: {resolved?.Problem ?? "no toolchain file"}";
            }
        }
        return null;
    }
}

/// <summary>The same for theories (each language's cases skip together when one of the languages is missing).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class ToolchainTheoryAttribute : TheoryAttribute
{
    public ToolchainTheoryAttribute(params string[] languages)
    {
        if (Requirements.SandboxProblem is { } sandbox) Skip = sandbox;
        else if (new ToolchainFactAttribute(languages).Skip is { } missing) Skip = missing;
    }
}
