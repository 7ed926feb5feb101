using Assay.Execution.Running;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Assay.Server.Tests.Support;

/// <summary>The real server in-process (TestServer), with the real sandbox, configured through `Assay:*` settings.</summary>
public class ServerFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string> _settings;

    public ServerFactory() : this(new Dictionary<string, string>())
    {
    }

    protected ServerFactory(Dictionary<string, string> settings) => _settings = settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseSetting("Assay:Concurrency", "2");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }
}

/// <summary>A server that holds at most 4 items at once and reads bodies of at most 64 KB.</summary>
public sealed class SmallServerFactory() : ServerFactory(new Dictionary<string, string>
{
    ["Assay:MaxQueuedItems"] = "4",
    ["Assay:MaxItemsPerRequest"] = "8",
    ["Assay:MaxRequestBytes"] = "65536",
});

/// <summary>What this machine offers the tests.</summary>
internal static class Requirements
{
    private static readonly Lazy<string?> SandboxProblemLazy = new(() =>
    {
        var (runner, problem) = ProgramRunner.Create(concurrency: 1);
        if (runner is null) return "sandbox unavailable: " + problem;
        using (runner)
        {
            var python = runner.ResolveLanguage("python");
            return python?.Toolchain is null ? "python toolchain missing: " + python?.Problem : null;
        }
    });

    public static string? SandboxProblem => SandboxProblemLazy.Value;

    /// <summary>True when a language's toolchain is installed here.</summary>
    public static bool Has(string language)
    {
        var (runner, _) = ProgramRunner.Create(concurrency: 1);
        if (runner is null) return false;
        using (runner) return runner.ResolveLanguage(language)?.Toolchain is not null;
    }
}

/// <summary>A fact that needs the real sandbox with Python; skipped, saying why, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute()
    {
        if (Requirements.SandboxProblem is { } problem) Skip = problem;
    }
}

/// <summary>The same for theories (the server needs a sandbox to start at all).</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SandboxTheoryAttribute : TheoryAttribute
{
    public SandboxTheoryAttribute()
    {
        if (Requirements.SandboxProblem is { } problem) Skip = problem;
    }
}

/// <summary>A fact that needs one more language's toolchain; skipped, saying which, without it.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class LanguageFactAttribute : FactAttribute
{
    public LanguageFactAttribute(string language)
    {
        if (Requirements.SandboxProblem is { } problem) Skip = problem;
        else if (!Requirements.Has(language)) Skip = $"the {language} toolchain is not installed";
    }
}

/// <summary>Tests that run programs go one after another: each uses every core.</summary>
[CollectionDefinition(Name)]
public sealed class SandboxCollection
{
    public const string Name = "sandbox";
}
