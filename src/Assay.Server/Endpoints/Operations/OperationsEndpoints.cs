using Assay.Server.Admission;
using Assay.Server.Judging;
using Assay.Server.Metrics;

namespace Assay.Server.Endpoints.Operations;

/// <summary>`/health` for load balancers and clients, `/metrics` for Prometheus.</summary>
internal static class OperationsEndpoints
{
    public static void MapOperations(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", Health).WithName("health").WithTags("operations").Produces<HealthAnswer>().Produces<HealthAnswer>(503);
        routes.MapGet("/metrics", (ServerMetrics metrics) => Results.Text(metrics.ToPrometheusText(), "text/plain; version=0.0.4; charset=utf-8"))
            .WithName("metrics").WithTags("operations");
    }

    private static IResult Health(AdmissionGate gate, JudgeEngine engine)
    {
        var answer = new HealthAnswer(gate.IsDraining ? "draining" : "ok", engine.Runner.Concurrency, engine.Runner.Sandboxes - engine.Runner.Concurrency,
            gate.Queued, gate.Running, gate.Capacity);
        return Results.Json(answer, Wire.Json, statusCode: gate.IsDraining ? 503 : 200);
    }
}

/// <summary>
/// `status` is `ok`, or `draining` (503) while the server shuts down. <see cref="Sandboxes"/> judge `/v1/score` and
/// `/get_reward` items; <see cref="RunCodeSandboxes"/> more serve `/run_code`.
/// </summary>
public sealed record HealthAnswer(string Status, int Sandboxes, int RunCodeSandboxes, long Queued, long Running, int QueueCapacity);
