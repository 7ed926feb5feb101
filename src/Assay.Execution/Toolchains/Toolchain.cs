using Assay.Core.Execution;
using Assay.Execution.Sandboxing;

namespace Assay.Execution.Toolchains;

/// <summary>A toolchain whose tools were found on this host: commands are concrete and the version is known.</summary>
public sealed class Toolchain
{
    public required ToolchainDefinition Definition { get; init; }
    public required string Version { get; init; }
    public required IReadOnlyList<string>? CompileCommand { get; init; }
    public required IReadOnlyList<string> RunCommand { get; init; }
    public required IReadOnlyList<HostMount> Mounts { get; init; }

    /// <summary>
    /// Everything that changes what a compile produces, hashed into compile-cache keys so that upgrading a
    /// compiler or editing its YAML never serves a stale binary.
    /// </summary>
    public required string Fingerprint { get; init; }

    public string Name => Definition.Name;
    public bool IsCompiled => CompileCommand is not null;
    public IReadOnlyDictionary<string, string> Environment => Definition.Env;

    /// <summary>Default limits for running programs of this language, before per-run overrides.</summary>
    public ResourceLimits RunLimits(ResourceLimits baseline) => Definition.RunLimits?.ApplyTo(baseline) ?? baseline;

    public ResourceLimits CompileLimits => Definition.CompileLimits?.ApplyTo(ResourceLimits.Compile) ?? ResourceLimits.Compile;

    /// <summary>
    /// Where this program's source is written and the commands that compile and run it: the toolchain's own, with
    /// the names its `source_names` read from the source filled in (Java's public class names the file, the class
    /// holding `main` is run). A source whose names would make an unusable file name gets the names' defaults.
    /// </summary>
    public ProgramLayout LayoutFor(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (Definition.SourceNames.Count == 0) return new ProgramLayout(Definition.SourceFile, CompileCommand, RunCommand);
        _names ??= new SourceNameReader(Definition.SourceNames);
        var values = _names.Read(source);
        var file = SourceNameReader.Fill(Definition.SourceFile, values);
        if (file is "" or "." or ".." || Definition.Files.ContainsKey(file))
        {
            values = _names.Defaults();
            file = SourceNameReader.Fill(Definition.SourceFile, values);
        }
        return new ProgramLayout(file, CompileCommand?.Select(a => SourceNameReader.Fill(a, values)).ToList(),
            RunCommand.Select(a => SourceNameReader.Fill(a, values)).ToList());
    }

    private SourceNameReader? _names;
}

/// <summary>The outcome of looking for a toolchain's tools: the toolchain, or what to install.</summary>
public sealed record ToolchainResolution(ToolchainDefinition Definition, Toolchain? Toolchain, string? Problem)
{
    public bool IsAvailable => Toolchain is not null;
}
