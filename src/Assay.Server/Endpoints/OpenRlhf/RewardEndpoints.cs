using System.Globalization;
using Assay.Server.Endpoints.Native;
using Assay.Server.Scoring;

namespace Assay.Server.Endpoints.OpenRlhf;

/// <summary>
/// OpenRLHF's remote reward endpoint (`--reward.remote_url http://host:port/get_reward`, formerly `--remote_rm_url`).
/// Options go in the query string: `?preset=deepcoder&amp;language=python&amp;time_limit_s=6`. OpenRLHF needs a
/// number for every sample, so when any sample could not be judged for Assay's own passing reasons the answer is 503
/// with Retry-After (OpenRLHF retries), never a made-up zero; what retrying cannot fix (a language without a
/// toolchain here) is a 4xx with the reason.
/// </summary>
internal static class RewardEndpoints
{
    public static void MapOpenRlhf(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/get_reward", GetRewardAsync)
            .WithName("get_reward")
            .WithTags("openrlhf")
            .WithSummary("OpenRLHF remote reward: {query, prompts, labels} → {rewards, scores, extra_logs}")
            .Accepts<RewardRequest>("application/json")
            .Produces<RewardResponse>()
            .Produces<ErrorAnswer>(400)
            .Produces<ErrorAnswer>(413)
            .Produces<ErrorAnswer>(422)
            .Produces<ErrorAnswer>(429)
            .Produces<ErrorAnswer>(503);
    }

    private static async Task<IResult> GetRewardAsync(HttpContext context, RewardService rewards, ServeOptions options)
    {
        var arrived = DateTimeOffset.UtcNow;
        var query = context.Request.Query;
        var preset = ScoringPreset.Find(query["preset"].FirstOrDefault()) ?? throw new InvalidRequestException(
            $"preset: unknown `{query["preset"]}` (known: {ScoringPreset.Names})");
        var language = query["language"].FirstOrDefault() ?? "python";
        var limit = NativeEndpoints.TimeLimit(Number(query["time_limit_s"].FirstOrDefault(), "time_limit_s"), "time_limit_s") ?? NativeEndpoints.DefaultTimeLimitSeconds;
        var memoryMb = Number(query["memory_mb"].FirstOrDefault(), "memory_mb");
        if (memoryMb is { } mb && (mb != Math.Floor(mb) || Math.Abs(mb) > int.MaxValue)) throw new InvalidRequestException("memory_mb must be a whole number of MB");
        var memory = NativeEndpoints.MemoryLimit((int?)memoryMb, "memory_mb") ?? NativeEndpoints.DefaultMemoryLimitMb;
        var deadline = arrived + NativeEndpoints.Deadline(Number(query["deadline_s"].FirstOrDefault(), "deadline_s"), options);

        var request = await Wire.ReadAsync<RewardRequest>(context.Request);
        if (request.Query.Count == 0) throw new InvalidRequestException("query: empty");
        if (request.Labels.Count != request.Query.Count)
            throw new InvalidRequestException($"labels: {request.Labels.Count} labels for {request.Query.Count} queries; they must align");
        if (request.Prompts is { } prompts && prompts.Count != request.Query.Count)
            throw new InvalidRequestException($"prompts: {prompts.Count} prompts for {request.Query.Count} queries; they must align");
        if (request.Query.Count > options.MaxItemsPerRequest)
            throw new InvalidRequestException($"query: {request.Query.Count} samples; at most {options.MaxItemsPerRequest} per request", 413);

        var items = request.Query.Select((text, i) => new RewardItem($"query[{i}]", null, language, null, text ?? throw new InvalidRequestException($"query[{i}]: null"),
            request.Prompts?[i], request.Labels[i], preset, null, limit, memory)).ToList();
        var batch = await rewards.ScoreAsync(items, deadline, details: false, context.RequestAborted);
        if (batch.Refusal is { } refusal) return Wire.Refused(context, refusal);
        var results = batch.Results!;
        if (results.Select((r, i) => (r, i)).FirstOrDefault(x => x.r.InfraError) is { r: not null } failed)
        {
            context.Response.Headers.RetryAfter = "1";
            return Wire.Error(503, $"query[{failed.i}] could not be judged ({failed.r.Status}: {failed.r.Error}); nothing is scored, retry the request");
        }
        var scores = results.Select(r => r.Score!.Value).ToList();
        var logs = new Dictionary<string, IReadOnlyList<double>>
        {
            ["pass_rate"] = results.Select(r => r.Total == 0 ? 0.0 : (double)r.Passed / r.Total).ToList(),
            ["tests_passed"] = results.Select(r => (double)r.Passed).ToList(),
            ["tests_total"] = results.Select(r => (double)r.Total).ToList(),
        };
        return Wire.Ok(new RewardResponse(scores, scores, logs));
    }

    private static double? Number(string? text, string name)
    {
        if (text is null) return null;
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new InvalidRequestException($"{name}: `{text}` is not a number");
    }
}
