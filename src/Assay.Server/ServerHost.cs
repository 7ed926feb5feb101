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

namespace Assay.Server;

/// <summary>Composes the reward service: sandboxes, admission, the batching dispatcher, the endpoint families.</summary>
public static class ServerHost
{
    /// <summary>
    /// Builds the server. With <paramref name="options"/> null they are read from configuration section
    /// `Assay` (how tests configure it); with <paramref name="runner"/> null one is created on first use.
    /// </summary>
    public static WebApplication Build(string[] args, ServeOptions? options = null, ProgramRunner? runner = null, IVerdictStore? store = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = args });
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var services = builder.Services;
        services.AddSingleton(sp => options ?? ReadOptions(sp.GetRequiredService<IConfiguration>()));
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
            return new RunSlots(Math.Max(1, Math.Min(sp.GetRequiredService<ServeOptions>().RunCodeSandboxes, runner.Sandboxes - runner.Concurrency)));
        });
        services.AddSingleton<ServerMetrics>();
        services.AddSingleton<BatchingDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<BatchingDispatcher>());
        services.AddSingleton<RewardService>();
        services.AddOpenApi(o => o.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "Assay reward service";
            document.Info.Description = "Rewards for RL trainers: a native batch endpoint, SandboxFusion's /run_code, OpenRLHF's remote reward.";
            return Task.CompletedTask;
        }));
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            var o = options ?? ReadOptions(context.Configuration);
            kestrel.Limits.MaxRequestBodySize = o.MaxRequestBytes;
            kestrel.AddServerHeader = false;
            if (options is not null) kestrel.Listen(System.Net.IPAddress.Parse(o.Host), o.Port);
        });
        services.Configure<HostOptions>(h => h.ShutdownTimeout = (options?.DrainTimeout ?? TimeSpan.FromSeconds(60)) + TimeSpan.FromSeconds(15));

        var app = builder.Build();
        var gate = app.Services.GetRequiredService<AdmissionGate>();
        var metrics = app.Services.GetRequiredService<ServerMetrics>();
        metrics.QueueDepth = () => gate.Queued;
        metrics.InFlight = () => gate.Running;
        metrics.QueueCapacity = () => gate.Capacity;
        // New requests are refused (503) from the moment shutdown starts; admitted work still finishes.
        app.Lifetime.ApplicationStopping.Register(gate.BeginDraining);

        app.Use(async (context, next) =>
        {
            var clock = Stopwatch.StartNew();
            try
            {
                await next(context);
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

    private static async Task WriteErrorAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        await context.Response.WriteAsJsonAsync(new ErrorAnswer(message), Wire.Json);
    }

    /// <summary>Options from configuration (`Assay:Concurrency`, `Assay:MaxQueuedItems`, ...), defaults otherwise.</summary>
    public static ServeOptions ReadOptions(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection("Assay");
        var defaults = new ServeOptions();
        return new ServeOptions
        {
            Concurrency = section.GetValue("Concurrency", defaults.Concurrency),
            RunCodeSandboxes = section.GetValue("RunCodeSandboxes", defaults.RunCodeSandboxes),
            MaxQueuedItems = section.GetValue("MaxQueuedItems", defaults.MaxQueuedItems),
            MaxItemsPerRequest = section.GetValue("MaxItemsPerRequest", defaults.MaxItemsPerRequest),
            MaxRequestBytes = section.GetValue("MaxRequestBytes", defaults.MaxRequestBytes),
            BatchWindow = TimeSpan.FromMilliseconds(section.GetValue("BatchWindowMs", defaults.BatchWindow.TotalMilliseconds)),
            DefaultDeadline = TimeSpan.FromSeconds(section.GetValue("DefaultDeadlineSeconds", defaults.DefaultDeadline.TotalSeconds)),
            RunCodeQueueDeadline = TimeSpan.FromSeconds(section.GetValue("RunCodeQueueDeadlineSeconds", defaults.RunCodeQueueDeadline.TotalSeconds)),
            DrainTimeout = TimeSpan.FromSeconds(section.GetValue("DrainTimeoutSeconds", defaults.DrainTimeout.TotalSeconds)),
        };
    }
}
