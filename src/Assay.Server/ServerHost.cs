using System.Diagnostics;
using Assay.Core.Evaluation;
using Assay.Execution.Running;
using Assay.Server.Admission;
using Assay.Server.Endpoints;
using Assay.Server.Endpoints.Native;
using Assay.Server.Endpoints.OpenRlhf;
using Assay.Server.Endpoints.Operations;
using Assay.Server.Endpoints.SandboxFusion;
using Assay.Server.Judging;
using Assay.Server.Metrics;
using Assay.Server.Scoring;
using KestrelServerOptions = Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions;
using Microsoft.Extensions.Options;

namespace Assay.Server;

/// <summary>Composes the reward service: sandboxes, admission, the batching dispatcher, the endpoint families.</summary>
public static class ServerHost
{
    /// <summary>
    /// Builds the server. With <paramref name="options"/> null they are bound from configuration section `Assay`
    /// (how tests and `dotnet Assay.Server.dll --Assay:Concurrency=2` configure it); given ones (`assay serve`) go
    /// through the same binding. Either way they are validated when the host starts, which fails with a message
    /// naming each bad option. With <paramref name="runner"/> null one is created while the host starts.
    /// </summary>
    public static WebApplication Build(string[] args, ServeOptions? options = null, ProgramRunner? runner = null, IVerdictStore? store = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        // Logs are diagnostics: stderr, so stdout carries only what `assay serve` itself prints (the address, "stopped").
        builder.Logging.AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
        // A host that fails to start (a port in use, invalid options) is reported by the caller in one line, not as a
        // logged stack trace; what the host logs while running (a failed background service) is Critical and stays.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        if (options is not null) builder.Configuration.AddInMemoryCollection(options.ToSettings());
        var services = builder.Services;
        services.AddOptions<ServeOptions>().BindConfiguration(ServeOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ServeOptions>, ServeOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<ServeOptions>>().Value);
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<ServeOptions>();
            var sandboxes = runner;
            if (sandboxes is null)
            {
                var (created, problem) = ProgramRunner.Create(o.Concurrency, sandboxes: o.Concurrency + o.RunCodeSandboxes);
                sandboxes = created ?? throw new InvalidOperationException("the sandbox is unavailable: " + problem);
            }
            return new JudgeEngine(sandboxes, store ?? new NoVerdictStore());
        });
        services.AddSingleton(sp => new AdmissionGate(sp.GetRequiredService<ServeOptions>().MaxQueuedItems));
        services.AddSingleton(sp =>
        {
            // /run_code takes the sandboxes beyond the judging ones, so it never holds those judging needs.
            var runner = sp.GetRequiredService<JudgeEngine>().Runner;
            var spare = Math.Max(1, Math.Min(sp.GetRequiredService<ServeOptions>().RunCodeSandboxes, runner.Sandboxes - runner.Concurrency));
            return new RunCodeLanes(spare, runner.Concurrency);
        });
        services.AddSingleton<ServerMetrics>();
        // Started first, so that everything a request needs exists before the listener opens (hosted services start
        // in order, the web server after them).
        services.AddHostedService<ServerStartup>();
        services.AddSingleton<BatchingDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<BatchingDispatcher>());
        services.AddSingleton<RewardService>();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Assay reward service";
            document.Info.Description = "Rewards for RL trainers: a native batch endpoint, SandboxFusion's /run_code, OpenRLHF's remote reward.";
            return Task.CompletedTask;
        }));
        // Kestrel and the host read their settings while the app is built, before start-up validation: they take
        // the options only when valid (a bad value stops the start a moment later, with its message).
        var early = ValidOrNull(builder.Configuration);
        services.AddOptions<KestrelServerOptions>().Configure(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (early is null) return;
            kestrel.Limits.MaxRequestBodySize = early.MaxRequestBytes;
            // Given options name the address; otherwise it is the host's (--urls, or a test server).
            if (options is not null) kestrel.Listen(System.Net.IPAddress.Parse(early.Host), early.Port);
        });
        // The whole shutdown: the dispatcher's drain (up to the drain timeout, then a few seconds for the stopped work's
        // answers) and then Kestrel closing connections whose answers are written by then.
        services.Configure<HostOptions>(h => h.ShutdownTimeout = (early ?? new ServeOptions()).DrainTimeout + TimeSpan.FromSeconds(15));

        var app = builder.Build();
        // Needs no options: resolving it here does not read (or validate) them before the host starts.
        var metrics = app.Services.GetRequiredService<ServerMetrics>();
        app.Use(async (context, next) =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                await next(context);
                // Routing's own refusals (415 for a body that is not JSON, 404, 405) come without a body: give them
                // the error object every other error has.
                if (!context.Response.HasStarted && context.Response.StatusCode >= 400 && context.Response.ContentLength is null && context.Response.ContentType is null)
                    await WriteErrorAsync(context, context.Response.StatusCode, RoutingError(context));
            }
            catch (InvalidRequestException ex) when (!context.Response.HasStarted)
            {
                await WriteErrorAsync(context, ex.StatusCode, ex.Message);
            }
            catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
            {
                await WriteErrorAsync(context, ex.StatusCode, ex.StatusCode == 413 ? "the body is larger than this server accepts (--max-request-mb)" : ex.Message);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                // The client went away; there is no one to answer.
                context.Response.StatusCode = 499;
            }
            catch (Exception ex) when (!context.Response.HasStarted && ex is not OutOfMemoryException)
            {
                await WriteErrorAsync(context, 500, "internal error: " + ex.Message);
            }
            finally
            {
                var name = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "unmatched";
                metrics.RequestFinished(name, context.Response.StatusCode, clock.Elapsed);
                var refusal = context.Response.StatusCode switch { 429 => "queue_full", 503 => "unavailable", 504 => "queue_deadline", _ => null };
                if (refusal is not null) metrics.Rejected(refusal);
            }
        });
        app.MapNative();
        app.MapSandboxFusion();
        app.MapOpenRlhf();
        app.MapOperations();
        app.MapOpenApi("/openapi/{documentName}.json");
        return app;
    }

    /// <summary>The options as configured when they bind and are valid, else null (start-up validation then reports why).</summary>
    private static ServeOptions? ValidOrNull(IConfiguration configuration)
    {
        try
        {
            var bound = configuration.GetSection(ServeOptions.Section).Get<ServeOptions>() ?? new ServeOptions();
            return bound.Problems().Count == 0 ? bound : null;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static string RoutingError(HttpContext context)
    {
        var request = context.Request;
        return context.Response.StatusCode switch
        {
            415 => $"the body must be JSON (Content-Type: application/json), not {request.ContentType ?? "no Content-Type"}",
            404 => $"no endpoint {request.Method} {request.Path} (the API: /openapi/v1.json)",
            405 => $"{request.Method} is not allowed on {request.Path} (the API: /openapi/v1.json)",
            var code => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(code),
        };
    }

    private static async Task WriteErrorAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        await context.Response.WriteAsJsonAsync(new ErrorAnswer(message), Wire.Json);
    }
}
