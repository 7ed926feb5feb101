using System.Text.Json;

namespace Assay.Server.Endpoints.OpenRlhf;

/// <summary>OpenRLHF's remote reward request: lists aligned by index (one sample in new versions, a shard in old ones).</summary>
public sealed record RewardRequest
{
    /// <summary>Prompt + response as one decoded text.</summary>
    public required IReadOnlyList<string> Query { get; init; }

    /// <summary>The prompts, cut off the front of each query when it starts with one.</summary>
    public IReadOnlyList<string?>? Prompts { get; init; }

    /// <summary>The tests of each sample (the dataset's `--data.label_key` column), in any accepted shape or as a JSON string.</summary>
    public required IReadOnlyList<JsonElement> Labels { get; init; }
}

/// <summary>OpenRLHF's reward response: `rewards` for the advantage, `scores` (0..1) for filtering, `extra_logs` for the logger.</summary>
public sealed record RewardResponse(IReadOnlyList<double> Rewards, IReadOnlyList<double> Scores, IReadOnlyDictionary<string, IReadOnlyList<double>> ExtraLogs);
