using System.Text.Json;
using System.Text.Json.Serialization;
using Assay.Server.Scoring;

namespace Assay.Server.Endpoints.Native;

/// <summary>`POST /v1/score`: completions (or programs) and their tests in, one reward per item out.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ScoreRequest
{
    public required IReadOnlyList<ScoreItem> Items { get; init; }

    /// <summary>Scoring preset for items that name none: fraction (default), verl, deepcoder, nemo_rl, openr1_code, openr1_binary, all_or_nothing.</summary>
    public string? Preset { get; init; }

    /// <summary>Limits for items that give none.</summary>
    public Limits? Limits { get; init; }

    /// <summary>Seconds from arrival after which items not yet judged, queued or running, are answered `deadline_exceeded` (infra_error).</summary>
    public double? DeadlineS { get; init; }

    /// <summary>Include per-test outcomes.</summary>
    public bool Details { get; init; }
}

/// <summary>One completion to score.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ScoreItem
{
    /// <summary>Echoed back in the result.</summary>
    public string? Id { get; init; }

    public string Language { get; init; } = "python";

    /// <summary>The model's text: the program is found in it by the preset's rule.</summary>
    public string? Completion { get; init; }

    /// <summary>A program as it is (no extraction).</summary>
    public string? Code { get; init; }

    /// <summary>When the completion starts with the prompt (OpenRLHF sends both as one text), the prompt is cut off first.</summary>
    public string? Prompt { get; init; }

    /// <summary>The tests, in any accepted shape (see the README), or a JSON string of them.</summary>
    public required JsonElement Tests { get; init; }

    public string? Preset { get; init; }

    /// <summary>stdin/stdout comparison: exact, tokens, numeric (default: the preset's).</summary>
    public string? Compare { get; init; }

    public Limits? Limits { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record Limits
{
    /// <summary>CPU seconds per test.</summary>
    public double? TimeLimitS { get; init; }

    /// <summary>Memory of every run of the program, in MB (default <see cref="NativeEndpoints.DefaultMemoryLimitMb"/>).</summary>
    public int? MemoryMb { get; init; }
}

/// <summary>One result per item, in request order.</summary>
public sealed record ScoreResponse(IReadOnlyList<ItemResult> Results);
