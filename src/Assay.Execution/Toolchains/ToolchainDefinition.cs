using Assay.Core.Languages;

namespace Assay.Execution.Toolchains;

/// <summary>
/// One language, as written in `toolchains/NAME.yaml`. Adding a language means adding such a file:
/// where its tools are, how to compile (optional) and run a program, and what it needs beyond the defaults.
/// Commands are argument lists (no shell), with `{tool}` placeholders replaced by resolved tool paths.
/// </summary>
public sealed class ToolchainDefinition
{
    /// <summary>The name users pass to `--lang`.</summary>
    public string Name { get; set; } = "";

    public string DisplayName { get; set; } = "";

    /// <summary>
    /// Set for a language Assay knows but cannot run with a Debian-packaged toolchain (Julia, Swift): why, and
    /// what would be needed. Such a language is refused up front, naming this reason; its tools are not looked for.
    /// </summary>
    public string? Unavailable { get; set; }

    /// <summary>Other accepted names (`py`, `c++`, `js`, ...).</summary>
    public List<string> Aliases { get; set; } = [];

    /// <summary>The file the program's source is written to (some compilers care: Java wants Main.java); may use <see cref="SourceNames"/>.</summary>
    public string SourceFile { get; set; } = "";

    /// <summary>
    /// Names read from each program's source, as `{name}` in <see cref="SourceFile"/>, <see cref="Compile"/> and
    /// <see cref="Run"/>, in order (a later one may use an earlier one); see <see cref="SourceName"/>.
    /// </summary>
    public List<SourceName> SourceNames { get; set; } = [];

    /// <summary>Tools the commands refer to, each found on the host once.</summary>
    public Dictionary<string, ToolDefinition> Tools { get; set; } = [];

    /// <summary>A command whose first output line names the toolchain's version (run on the host).</summary>
    public List<string> Version { get; set; } = [];

    /// <summary>Compile command, run once per distinct source; absent for interpreted languages.</summary>
    public List<string>? Compile { get; set; }

    public List<string> Run { get; set; } = [];

    /// <summary>Extra files written next to the source before compiling (or running), by name.</summary>
    public Dictionary<string, string> Files { get; set; } = [];

    /// <summary>Host paths (globs allowed) mounted read-only at the same place, beyond /usr and the defaults.</summary>
    public List<string> Mounts { get; set; } = [];

    public Dictionary<string, string> Env { get; set; } = [];

    /// <summary>Overrides of the default run limits (a JVM needs more threads than a script).</summary>
    public LimitOverrides? RunLimits { get; set; }

    public LimitOverrides? CompileLimits { get; set; }

    /// <summary>The spellings datasets use for this language (MultiPL-E `rkt`, HumanEval-X `CPP`, Codeforces `GNU C++17`).</summary>
    public List<string> DatasetNames { get; set; } = [];

    /// <summary>Markdown code-fence tags of this language; by default its name and aliases.</summary>
    public List<string> FenceTags { get; set; } = [];

    /// <summary>What a failed test prints in this language's test programs (see <see cref="Language.AssertionSignals"/>).</summary>
    public List<string> AssertionSignals { get; set; } = [];

    /// <summary>What the runtime prints when it runs out of memory (see <see cref="Language.MemorySignals"/>).</summary>
    public List<string> MemorySignals { get; set; } = [];

    /// <summary>Multiplies problems' time limits for this language (see <see cref="Language.TimeMultiplier"/>).</summary>
    public double TimeMultiplier { get; set; } = 1.0;

    /// <summary>How benchmark test programs are assembled in this language; absent: none are.</summary>
    public TestProgramAssembly? TestProgram { get; set; }

    /// <summary>The language model the loaders, judges and server read (made once).</summary>
    public Language Language => _language ??= new Language
    {
        Name = Name,
        DisplayName = DisplayName,
        Aliases = Aliases,
        DatasetNames = DatasetNames,
        FenceTags = FenceTags,
        AssertionSignals = AssertionSignals,
        MemorySignals = MemorySignals,
        TimeMultiplier = TimeMultiplier,
        TestProgram = TestProgram,
        Unavailable = Unavailable,
    };

    private Language? _language;
}

public sealed class ToolDefinition
{
    /// <summary>Absolute paths (globs allowed, highest match wins) or bare names looked up on PATH, tried in order.</summary>
    public List<string> Candidates { get; set; } = [];

    /// <summary>What to install when none is found, shown to the user as is.</summary>
    public string Install { get; set; } = "";

    /// <summary>The tool is a directory (a reference-assembly folder, say) rather than an executable.</summary>
    public bool Directory { get; set; }
}

public sealed class LimitOverrides
{
    public double? WallSeconds { get; set; }
    public double? CpuSeconds { get; set; }
    public long? MemoryMb { get; set; }
    public int? Processes { get; set; }
    public int? OpenFiles { get; set; }
    public long? FileSizeMb { get; set; }
    public long? OutputMb { get; set; }
    public long? TmpfsMb { get; set; }

    public Core.Execution.ResourceLimits ApplyTo(Core.Execution.ResourceLimits limits) => limits with
    {
        WallTime = WallSeconds is { } w ? TimeSpan.FromSeconds(w) : limits.WallTime,
        CpuTime = CpuSeconds is { } c ? TimeSpan.FromSeconds(c) : limits.CpuTime,
        MemoryKb = MemoryMb is { } m ? m * 1024 : limits.MemoryKb,
        MaxProcesses = Processes ?? limits.MaxProcesses,
        MaxOpenFiles = OpenFiles ?? limits.MaxOpenFiles,
        MaxFileSizeKb = FileSizeMb is { } f ? f * 1024 : limits.MaxFileSizeKb,
        MaxOutputBytes = OutputMb is { } o ? o * 1024 * 1024 : limits.MaxOutputBytes,
        TmpfsKb = TmpfsMb is { } t ? t * 1024 : limits.TmpfsKb,
    };
}
