using System.Text.Json.Serialization;

namespace Assay.Server.Endpoints.SandboxFusion;

/// <summary>SandboxFusion's `RunCodeRequest`: unknown fields are ignored, as SandboxFusion does.</summary>
public sealed record RunCodeRequest
{
    public required string Code { get; init; }

    /// <summary>SandboxFusion's language names: python, cpp, nodejs, go, java, rust, bash, typescript, php, csharp, lua, ruby.</summary>
    public required string Language { get; init; }

    /// <summary>Seconds for the compile step (languages that have one).</summary>
    public double CompileTimeout { get; init; } = 10;

    /// <summary>Seconds for the run (wall clock, as in SandboxFusion; CPU time is held to the same).</summary>
    public double RunTimeout { get; init; } = 10;

    /// <summary>Megabytes; -1 (SandboxFusion's "no limit") means the toolchain's default limit here.</summary>
    [JsonPropertyName("memory_limit_MB")]
    public double MemoryLimitMb { get; init; } = -1;

    public string? Stdin { get; init; }

    /// <summary>Extra files (path → base64). Only an empty map (or null entries) is accepted by Assay.</summary>
    public Dictionary<string, string?>? Files { get; init; }

    /// <summary>Files to return after the run. Only an empty list is accepted by Assay.</summary>
    public IReadOnlyList<string>? FetchFiles { get; init; }
}

/// <summary>SandboxFusion's `RunCodeResponse`.</summary>
/// <param name="Status">`Success`, `Failed` or `SandboxError`.</param>
public sealed record RunCodeResponse(string Status, string Message, CommandRunResult? CompileResult, CommandRunResult? RunResult,
    string? ExecutorPodName, IReadOnlyDictionary<string, string> Files);

/// <summary>One phase (compile or run).</summary>
/// <param name="Status">`Finished`, `Error` (the runner itself failed) or `TimeLimitExceeded`.</param>
/// <param name="ExecutionTime">Wall-clock seconds.</param>
/// <param name="ReturnCode">Exit status; a signal N shows as -N; null after a time-out or when it never ran.</param>
public sealed record CommandRunResult(string Status, double? ExecutionTime, int? ReturnCode, string? Stdout, string? Stderr);
