using Assay.Server.Scoring;

namespace Assay.Server.Endpoints.Native;

/// <summary>Assay's own reward API: a batch of completions with their tests, scored by a trainer's preset.</summary>
internal static class NativeEndpoints
{
    public const double DefaultTimeLimitSeconds = 4;
    public const double MaxTimeLimitSeconds = 60;

    /// <summary>Memory of each run of an item's program when the request names none (verl's and SandboxFusion's client default).</summary>
    public const int DefaultMemoryLimitMb = 1024;

    /// <summary>Below this the Python harness that judges assert and function tests cannot itself start.</summary>
    public const int MinMemoryLimitMb = 64;

    public const int MaxMemoryLimitMb = 16_384;

    public static void MapNative(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/score", ScoreAsync)
            .WithName("score")
            .WithTags("native")
            .WithSummary("Score a batch of completions against their tests")
            .Accepts<ScoreRequest>("application/json")
            .Produces<ScoreResponse>()
            .Produces<ErrorAnswer>(400)
            .Produces<ErrorAnswer>(413)
            .Produces<ErrorAnswer>(422)
            .Produces<ErrorAnswer>(429)
            .Produces<ErrorAnswer>(503);
    }

    private static async Task<IResult> ScoreAsync(HttpContext context, RewardService rewards, ServeOptions options)
    {
        var arrived = DateTimeOffset.UtcNow;
        var request = await Wire.ReadAsync<ScoreRequest>(context.Request);
        if (request.Items.Count == 0) throw new InvalidRequestException("items: empty; give at least one item");
        if (request.Items.Count > options.MaxItemsPerRequest)
            throw new InvalidRequestException($"items: {request.Items.Count} items; at most {options.MaxItemsPerRequest} per request (split the batch)", 413);
        var preset = ScoringPreset.Find(request.Preset) ?? throw new InvalidRequestException($"preset: unknown `{request.Preset}` (known: {ScoringPreset.Names})");
        var deadline = arrived + Deadline(request.DeadlineS, options);
        var defaultLimit = TimeLimit(request.Limits?.TimeLimitS, "limits.time_limit_s") ?? DefaultTimeLimitSeconds;
        var defaultMemory = MemoryLimit(request.Limits?.MemoryMb, "limits.memory_mb") ?? DefaultMemoryLimitMb;

        var items = new List<RewardItem>(request.Items.Count);
        for (var i = 0; i < request.Items.Count; i++)
        {
            var item = request.Items[i] ?? throw new InvalidRequestException($"items[{i}]: null");
            var where = $"items[{i}]";
            var itemPreset = item.Preset is null ? preset : ScoringPreset.Find(item.Preset)
                ?? throw new InvalidRequestException($"{where}.preset: unknown `{item.Preset}` (known: {ScoringPreset.Names})");
            var compare = item.Compare is null ? (Assay.Core.Problems.OutputMatch?)null : TestSuite.ParseCompare(item.Compare, where + ".compare");
            var limit = TimeLimit(item.Limits?.TimeLimitS, where + ".limits.time_limit_s") ?? defaultLimit;
            var memory = MemoryLimit(item.Limits?.MemoryMb, where + ".limits.memory_mb") ?? defaultMemory;
            items.Add(new RewardItem(where, item.Id, item.Language, item.Code, item.Completion, item.Prompt, item.Tests, itemPreset, compare, limit, memory));
        }
        var batch = await rewards.ScoreAsync(items, deadline, request.Details, context.RequestAborted);
        return batch.Refusal is { } refusal ? Wire.Refused(context, refusal) : Wire.Ok(new ScoreResponse(batch.Results!));
    }

    internal static TimeSpan Deadline(double? seconds, ServeOptions options)
    {
        if (seconds is null) return options.DefaultDeadline;
        if (seconds is not (> 0 and <= 3600)) throw new InvalidRequestException("deadline_s must be between 0 and 3600 seconds");
        return TimeSpan.FromSeconds(seconds.Value);
    }

    internal static int? MemoryLimit(int? megabytes, string where)
    {
        if (megabytes is null) return null;
        if (megabytes is not (>= MinMemoryLimitMb and <= MaxMemoryLimitMb))
            throw new InvalidRequestException($"{where} must be between {MinMemoryLimitMb} and {MaxMemoryLimitMb} MB");
        return megabytes;
    }

    internal static double? TimeLimit(double? seconds, string where)
    {
        if (seconds is null) return null;
        if (seconds is not (> 0 and <= MaxTimeLimitSeconds)) throw new InvalidRequestException($"{where} must be between 0 and {MaxTimeLimitSeconds} seconds");
        return seconds;
    }
}
