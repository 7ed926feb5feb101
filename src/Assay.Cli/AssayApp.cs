using System.CommandLine;
using Assay.Cli.Commands;
using System.Runtime.InteropServices;
using Assay.Core.Evaluation;

namespace Assay.Cli;

/// <summary>The `assay` command line: builds the verbs and maps parse errors to exit code 2.</summary>
public static class AssayApp
{
    public static async Task<int> RunAsync(string[] args, CliConsole console)
    {
        ArgumentNullException.ThrowIfNull(console);
        var root = new RootCommand("Assay: a sandboxed verifier for machine-written code.")
        {
            RunCommand.Build(console),
            ToolchainsCommand.Build(console),
            EvalCommand.Build(console),
            ServeCommand.Build(console),
            RankCommand.Build(console),
            StoreCommand.Build(console),
            FormatsCommand.Build(console),
        };
        // Every verb takes it: results and warnings stay, progress bars and informational lines go.
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress bars or informational messages (results, warnings and errors stay).", Recursive = true };
        root.Options.Add(quiet);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await console.Error.WriteLineAsync("assay: " + ParseErrorText.Describe(error));
            var verb = parse.CommandResult.Command is RootCommand ? "" : parse.CommandResult.Command.Name + " ";
            await console.Error.WriteLineAsync($"Try `assay {verb}--help`.");
            return ExitCodes.BadInput;
        }
        console.Quiet = parse.GetValue(quiet);
        // Our own handler below, not System.CommandLine's (which prints a stack trace and exits 1).
        var config = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        // A server finishes its admitted work on SIGTERM before exiting, which takes longer than the default 2 s.
        if (parse.CommandResult.Command.Name == "serve") config.ProcessTerminationTimeout = ServeCommand.TerminationTimeout(parse);
        // eval and rank stop on Ctrl-C/SIGTERM themselves: System.CommandLine's handler lets the runtime end the process
        // by the signal as soon as it returns, before the judging unwinds, the store closes and the message is printed.
        var judging = parse.CommandResult.Command.Name is "eval" or "rank";
        using var interrupt = judging ? new Interrupt() : null;
        if (judging) config.ProcessTerminationTimeout = null;
        try
        {
            return await parse.InvokeAsync(config, interrupt?.Token ?? CancellationToken.None);
        }
        catch (OperationCanceledException) when (interrupt is { Signal: { } signal })
        {
            // The store has every verdict judged so far: it is flushed as it closes, on the way out of the verb.
            await console.Error.WriteLineAsync(parse.GetValue<bool>("--no-store")
                ? "assay: interrupted — with --no-store nothing judged was kept; rerun without it to be able to resume"
                : "assay: interrupted — verdicts judged so far are kept in the store: rerun the same command to resume");
            return signal == PosixSignal.SIGTERM ? ExitCodes.Terminated : ExitCodes.Interrupted;
        }
        catch (VerdictStoreException ex)
        {
            await console.Error.WriteLineAsync("assay: " + ex.Message);
            // serve has no store unless given one: leaving --store out is its way of running without.
            var withoutStore = parse.CommandResult.Command.Name == "serve" ? "leave out --store" : "run with --no-store";
            await console.Error.WriteLineAsync("assay: " + WayOut(ex.Fault, withoutStore));
            return ExitCodes.BadInput;
        }
        catch (InvalidDataException ex)
        {
            // Thrown only for input that cannot be read (a corrupt gzip, a malformed toolchain file); the message names the file.
            await console.Error.WriteLineAsync("assay: " + ex.Message);
            return ExitCodes.BadInput;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            await console.Error.WriteLineAsync("assay: internal error: " + ex);
            return ExitCodes.AssayFault;
        }
    }

    /// <summary>
    /// The first SIGINT or SIGTERM cancels the work and keeps the process alive until it has unwound; a second one
    /// ends it at once, for a user who does not want to wait.
    /// </summary>
    private sealed class Interrupt : IDisposable
    {
        private readonly CancellationTokenSource _source = new();
        private readonly PosixSignalRegistration _sigint;
        private readonly PosixSignalRegistration _sigterm;

        public Interrupt()
        {
            _sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
            _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        }

        public CancellationToken Token => _source.Token;

        public PosixSignal? Signal { get; private set; }

        private void OnSignal(PosixSignalContext context)
        {
            if (Signal is not null) return; // the second: the runtime's default, which ends the process
            Signal = context.Signal;
            context.Cancel = true;
            _source.Cancel();
        }

        public void Dispose()
        {
            _sigint.Dispose();
            _sigterm.Dispose();
            _source.Dispose();
        }
    }

    /// <summary>What the user can do about a store Assay will not use; the store only caches verdicts, so none of these loses results.</summary>
    private static string WayOut(VerdictStoreFault fault, string withoutStore) => fault switch
    {
        VerdictStoreFault.Damaged =>
            $"Assay neither repairs nor deletes it: {withoutStore}, give another --store PATH, or move the file aside (it only caches verdicts) and rerun to start a new one.",
        VerdictStoreFault.NotAStore => $"give --store a path of its own (a new file is created there), or {withoutStore}.",
        VerdictStoreFault.Unwritable => $"give --store a path in a writable place, or {withoutStore}.",
        _ => "wait for the other run to finish, or give another --store PATH.",
    };
}
