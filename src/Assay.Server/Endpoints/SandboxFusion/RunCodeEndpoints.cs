using Assay.Core.Execution;
using Assay.Execution.Running;
using Assay.Server.Admission;
using Assay.Server.Judging;
using Assay.Server.Metrics;

namespace Assay.Server.Endpoints.SandboxFusion;

/// <summary>
/// SandboxFusion's `/run_code` and `/v1/ping`, so a trainer configured with a SandboxFusion URL (verl's
/// `reward_model.sandbox_fusion.url`) works unchanged. A run waits for a sandbox (and a compile slot, see
/// <see cref="RunCodeLanes"/>) at most <see cref="ServeOptions.RunCodeQueueDeadline"/> from its arrival; past it
/// the answer is 504, the one status verl retries.
/// </summary>
internal static class RunCodeEndpoints
{
    public static void MapSandboxFusion(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/run_code", RunCodeAsync)
            .WithName("run_code")
            .WithTags("sandboxfusion")
            .WithSummary("Run one program once with stdin (SandboxFusion-compatible)")
            .Accepts<RunCodeRequest>("application/json")
            .Produces<RunCodeResponse>()
            .Produces<ErrorAnswer>(400)
            .Produces<ErrorAnswer>(413)
            .Produces<ErrorAnswer>(429)
            .Produces<ErrorAnswer>(503)
            .Produces<ErrorAnswer>(504);
        routes.MapGet("/v1/ping", () => Results.Json("pong")).WithName("ping").WithTags("sandboxfusion");
    }

    private static async Task<IResult> RunCodeAsync(HttpContext context, JudgeEngine engine, RunCodeLanes lanes, AdmissionGate gate, ServerMetrics metrics,
        ServeOptions options, ILogger<RunCodeLanes> logger)
    {
        var arrived = DateTimeOffset.UtcNow;
        var request = await Wire.ReadAsync<RunCodeRequest>(context.Request);
        if (request.RunTimeout is not (> 0 and <= 600)) throw new InvalidRequestException("run_timeout must be between 0 and 600 seconds");
        if (request.CompileTimeout is not (> 0 and <= 600)) throw new InvalidRequestException("compile_timeout must be between 0 and 600 seconds");
        if (request.MemoryLimitMb is not (-1 or (>= 1 and <= 65536))) throw new InvalidRequestException("memory_limit_MB must be -1 or between 1 and 65536");
        if (request.Files is { } files && files.Any(f => f.Value is not null && !f.Key.Contains("IGNORE_THIS_FILE", StringComparison.Ordinal)))
            throw new InvalidRequestException("files: extra files are not supported by Assay's /run_code; send an empty map");
        if (request.FetchFiles is { Count: > 0 }) throw new InvalidRequestException("fetch_files: fetching files is not supported by Assay's /run_code; send an empty list");
        if (System.Text.Encoding.UTF8.GetByteCount(request.Code) is var bytes && bytes > options.MaxSourceBytes)
            throw new InvalidRequestException($"code: {bytes} bytes; this server runs programs of at most {options.MaxSourceBytes} bytes (--max-source-kb)", 413);
        var resolution = await engine.ResolveAsync(request.Language) ?? throw new InvalidRequestException(
            $"language: unknown `{request.Language}` (known: {string.Join(", ", engine.Runner.Catalog.Definitions.Select(d => d.Name))})");
        if (resolution.Toolchain is not { } toolchain)
        {
            metrics.ItemFinished("sandbox_error");
            return Wire.Ok(Fault($"language {resolution.Definition.Name}: {resolution.Problem}"));
        }

        var admission = gate.TryAdmit(1);
        if (!admission.Admitted)
        {
            if (admission.Reason == "draining") logger.LogWarning("assay serve: dropped a /run_code request: refused while shutting down (503)");
            return Wire.Refused(context, admission);
        }
        var started = 0;
        // Past shutdown's drain timeout the run is stopped and answered 503 (retry elsewhere), not cut off with the connection.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, gate.Abandoned);
        try
        {
            var waitUntil = arrived + options.RunCodeQueueDeadline;
            if (!await lanes.WaitSandboxAsync(waitUntil - DateTimeOffset.UtcNow, stop.Token)) return QueueDeadline(context, metrics, options);
            try
            {
                gate.Started(1);
                started = 1;
                var limits = toolchain.RunLimits(ResourceLimits.Default) with
                {
                    CpuTime = TimeSpan.FromSeconds(request.RunTimeout),
                    WallTime = TimeSpan.FromSeconds(request.RunTimeout),
                };
                if (request.MemoryLimitMb > 0) limits = limits with { MemoryKb = (long)(request.MemoryLimitMb * 1024) };
                PreparedProgram prepared;
                if (toolchain.IsCompiled)
                {
                    if (!await lanes.WaitCompileAsync(waitUntil - DateTimeOffset.UtcNow, stop.Token)) return QueueDeadline(context, metrics, options);
                    try
                    {
                        prepared = await engine.Runner.PrepareAsync(toolchain, request.Code, stop.Token);
                    }
                    finally
                    {
                        lanes.ReleaseCompile();
                    }
                }
                else
                {
                    prepared = await engine.Runner.PrepareAsync(toolchain, request.Code, stop.Token);
                }
                var report = await RunAsync(engine, prepared, System.Text.Encoding.UTF8.GetBytes(request.Stdin ?? ""), limits, stop.Token);
                metrics.ItemFinished(report.Status.ToWireName());
                return Wire.Ok(ToResponse(report));
            }
            finally
            {
                lanes.ReleaseSandbox();
            }
        }
        catch (OperationCanceledException) when (gate.Abandoned.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
        {
            metrics.ItemFinished("shutting_down");
            logger.LogWarning("assay serve: dropped a /run_code request: the server is shutting down (503)");
            context.Response.Headers.RetryAfter = "1";
            return Wire.Error(503, "the server stopped before this run finished; retry against another instance or after its restart");
        }
        finally
        {
            gate.Finished(1, started);
        }
    }

    /// <summary>Runs a prepared program in a spare sandbox: the run may only wait (sleep past its limit), and the judging sandboxes stay free.</summary>
    private static async Task<RunReport> RunAsync(JudgeEngine engine, PreparedProgram prepared, byte[] stdin, ResourceLimits limits, CancellationToken cancellationToken)
    {
        if (!prepared.IsRunnable)
            return new RunReport(new ProcessReport { Status = RunStatus.CompileError, Message = "not run: compilation failed" }, prepared.Compile);
        var run = await engine.Runner.RunPreparedAsync(prepared, stdin, limits, SandboxLane.Spare, cancellationToken);
        return new RunReport(run, prepared.Compile);
    }

    private static IResult QueueDeadline(HttpContext context, ServerMetrics metrics, ServeOptions options)
    {
        metrics.ItemFinished("deadline_exceeded");
        context.Response.Headers.RetryAfter = "1";
        return Wire.Error(504, $"no sandbox became free within {options.RunCodeQueueDeadline.TotalSeconds:F0} s; retry");
    }

    private static RunCodeResponse Fault(string message) =>
        new("SandboxError", message, null, new CommandRunResult("Error", null, null, null, message), null, new Dictionary<string, string>());

    /// <summary>SandboxFusion's `parse_run_status`: any Error → SandboxError; else a time-out or non-zero code → Failed; else Success.</summary>
    internal static RunCodeResponse ToResponse(RunReport report)
    {
        var compile = report.Compile is { } c ? Phase(c) : null;
        // As in SandboxFusion, a compile step that failed or timed out means the program never ran.
        var compileFailed = compile is not null && (compile.Status != "Finished" || compile.ReturnCode != 0);
        var run = compileFailed ? null : Phase(report.Run);
        var phases = new[] { compile, run }.OfType<CommandRunResult>().ToList();
        string status;
        var message = "";
        if (phases.FirstOrDefault(p => p.Status == "Error") is { } error)
        {
            status = "SandboxError";
            message = error.Stderr ?? "";
        }
        else if (phases.Any(p => p.Status == "TimeLimitExceeded" || p.ReturnCode != 0))
        {
            status = "Failed";
        }
        else
        {
            status = "Success";
        }
        return new RunCodeResponse(status, message, compile, run, null, new Dictionary<string, string>());
    }

    private static CommandRunResult Phase(ProcessReport p)
    {
        var seconds = Math.Round(p.WallTimeMs / 1000.0, 4);
        return p.Status switch
        {
            RunStatus.SandboxError => new CommandRunResult("Error", seconds, null, p.Stdout, p.Message ?? p.Stderr),
            RunStatus.TimeLimit => new CommandRunResult("TimeLimitExceeded", seconds, null, p.Stdout, p.Stderr),
            RunStatus.Ok => new CommandRunResult("Finished", seconds, p.ExitCode ?? 0, p.Stdout, p.Stderr),
            // A crash, a memory or output limit: the process ended with a non-zero code (a signal N as -N, like Python's subprocess).
            _ => new CommandRunResult("Finished", seconds, p.ExitCode is { } code and not 0 ? code : -(p.Signal ?? 9), p.Stdout, p.Stderr),
        };
    }
}
