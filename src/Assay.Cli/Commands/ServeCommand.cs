using System.CommandLine;
using Assay.Execution.Running;
using Assay.Server;
using Assay.Storage.Sqlite;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Assay.Cli.Commands;

/// <summary>`assay serve`: the HTTP reward service for RL trainers (see the README's "assay serve").</summary>
internal static class ServeCommand
{
    /// <summary>
    /// How long a SIGTERM/SIGINT may take: admitted work is finished first (the drain timeout), what is left is
    /// answered as not judged, then the process exits. Longer than the host's own shutdown timeout (drain + 15 s,
    /// see ServerHost), so that the host, not System.CommandLine, decides when it is over.
    /// </summary>
    public static TimeSpan TerminationTimeout(ParseResult parse) =>
        parse?.GetValue<double>("--drain-timeout") is { } drain && double.IsFinite(drain) && drain is >= 0 and <= 3600
            ? TimeSpan.FromSeconds(drain + 30)
            : TimeSpan.FromSeconds(30); // a bad value is refused by the action itself


    public static Command Build(CliConsole console)
    {
        var defaults = new ServeOptions();
        var port = new Option<int>("--port") { Description = "TCP port (0: any free port; the address is printed).", DefaultValueFactory = _ => defaults.Port };
        var host = new Option<string>("--host") { Description = "Address to listen on.", DefaultValueFactory = _ => defaults.Host };
        var concurrency = new Option<int?>("--concurrency", "-j") { Description = "Programs judged at once for /v1/score and /get_reward (default: cores)." };
        var runCodeSandboxes = new Option<int>("--run-code-sandboxes")
        {
            Description = "Sandboxes /run_code may hold at once, besides the judging ones (its runs mostly wait).",
            DefaultValueFactory = _ => defaults.RunCodeSandboxes,
        };
        var maxQueue = new Option<int>("--max-queue") { Description = "Items admitted and unfinished, at most; past it requests get 429 with Retry-After.", DefaultValueFactory = _ => defaults.MaxQueuedItems };
        var maxItems = new Option<int>("--max-items") { Description = "Items in one request, at most.", DefaultValueFactory = _ => defaults.MaxItemsPerRequest };
        var maxRequest = new Option<int>("--max-request-mb") { Description = "Request body size in MB, at most.", DefaultValueFactory = _ => (int)(defaults.MaxRequestBytes / (1024 * 1024)) };
        var maxSource = new Option<int>("--max-source-kb")
        {
            Description = "A program's size in KB, at most (larger: status source_too_large, not run).",
            DefaultValueFactory = _ => (int)(defaults.MaxSourceBytes / 1024),
        };
        var drain = new Option<double>("--drain-timeout") { Description = "Seconds admitted work may take to finish on shutdown.", DefaultValueFactory = _ => defaults.DrainTimeout.TotalSeconds };
        var store = new Option<FileInfo?>("--store") { Description = "Verdict store (SQLite) to reuse verdicts across requests and restarts (default: none)." };
        var command = new Command("serve", "HTTP reward service for RL trainers: native /v1/score, SandboxFusion /run_code, OpenRLHF /get_reward.")
        {
            port, host, concurrency, runCodeSandboxes, maxQueue, maxItems, maxRequest, maxSource, drain, store,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (CommandDefaults.SecondsProblem("--drain-timeout", parse.GetValue(drain), 3600, zeroAllowed: true) is { } seconds)
                return await Fail(console, ExitCodes.BadInput, seconds);
            var options = new ServeOptions
            {
                Port = parse.GetValue(port),
                Host = parse.GetValue(host)!,
                Concurrency = parse.GetValue(concurrency) ?? Environment.ProcessorCount,
                RunCodeSandboxes = parse.GetValue(runCodeSandboxes),
                MaxQueuedItems = parse.GetValue(maxQueue),
                MaxItemsPerRequest = parse.GetValue(maxItems),
                MaxRequestBytes = parse.GetValue(maxRequest) * 1024L * 1024L,
                MaxSourceBytes = parse.GetValue(maxSource) * 1024L,
                DrainTimeout = TimeSpan.FromSeconds(parse.GetValue(drain)),
                StorePath = parse.GetValue(store)?.FullName,
            };
            return await ExecuteAsync(console, options, cancellationToken);
        });
        return command;
    }

    private static async Task<int> ExecuteAsync(CliConsole console, ServeOptions options, CancellationToken cancellationToken)
    {
        // The host validates its options as it starts; checked here too, before sandboxes are created for them.
        if (options.Validate() is { } bad) return await Fail(console, ExitCodes.BadInput, bad);
        var (runner, problem) = ProgramRunner.Create(options.Concurrency, sandboxes: options.Concurrency + options.RunCodeSandboxes);
        if (runner is null) return await Fail(console, ExitCodes.AssayFault, problem!);
        var store = options.StorePath is { } path ? await SqliteVerdictStore.OpenAsync(path, cancellationToken) : null;
        await using var app = ServerHost.Build([], options, runner, store);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Microsoft.Extensions.Options.OptionsValidationException ex)
        {
            return await Fail(console, ExitCodes.BadInput, ex.Message);
        }
        catch (IOException ex)
        {
            return await Fail(console, ExitCodes.AssayFault, $"cannot listen on {options.Host}:{options.Port}: {ex.Message}");
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "?";
        await console.Out.WriteLineAsync(
            $"assay serve: listening on {address} ({runner.Concurrency} judging sandboxes, {runner.Sandboxes - runner.Concurrency} for /run_code, " +
            $"queue {options.MaxQueuedItems} items): " +
            "POST /v1/score, /run_code, /get_reward; GET /health, /metrics, /openapi/v1.json");
        await console.Out.FlushAsync(CancellationToken.None);
        // SIGTERM/SIGINT cancel the token: the host stops taking requests (503) and finishes admitted work first.
        await app.WaitForShutdownAsync(cancellationToken);
        await console.Out.WriteLineAsync("assay serve: stopped");
        return ExitCodes.Success;
    }

    private static async Task<int> Fail(CliConsole console, int code, string message)
    {
        await console.Error.WriteLineAsync("assay: " + message);
        return code;
    }
}
