using Assay.Core.Execution;
using Assay.Execution.Running;
using Assay.Execution.Toolchains;

namespace Assay.Execution.Tests.Support;

/// <summary>
/// One real sandbox (bubblewrap + supervisor pool) shared by a test collection. Tests run real programs
/// through it; nothing here is mocked.
/// </summary>
public sealed class SandboxFixture : IDisposable
{
    public SandboxFixture()
    {
        var (runner, problem) = ProgramRunner.Create(concurrency: 2);
        Runner = runner ?? throw new InvalidOperationException("sandbox unavailable: " + problem);
    }

    public ProgramRunner Runner { get; }

    public Toolchain Toolchain(string language)
    {
        var resolution = Runner.ResolveLanguage(language) ?? throw new InvalidOperationException("unknown language " + language);
        return resolution.Toolchain ?? throw new InvalidOperationException(resolution.Problem);
    }

    /// <summary>Compiles if needed and runs once with the toolchain's default limits, optionally adjusted.</summary>
    public Task<RunReport> RunAsync(string language, string source, string stdin = "", Func<ResourceLimits, ResourceLimits>? adjust = null)
    {
        var toolchain = Toolchain(language);
        var limits = toolchain.RunLimits(ResourceLimits.Default);
        if (adjust is not null) limits = adjust(limits);
        return Runner.RunAsync(toolchain, source, System.Text.Encoding.UTF8.GetBytes(stdin), limits);
    }

    public void Dispose() => Runner.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SandboxCollection : ICollectionFixture<SandboxFixture>
{
    public const string Name = "sandbox";
}
