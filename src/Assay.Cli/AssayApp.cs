using System.CommandLine;
using Assay.Cli.Commands;
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
            foreach (var error in parse.Errors) await console.Error.WriteLineAsync("assay: " + error.Message);
            await console.Error.WriteLineAsync("Try `assay --help`.");
            return ExitCodes.BadInput;
        }
        console.Quiet = parse.GetValue(quiet);
        // Our own handler below, not System.CommandLine's (which prints a stack trace and exits 1).
        var config = new InvocationConfiguration { Output = console.Out, Error = console.Error, EnableDefaultExceptionHandler = false };
        // A server finishes its admitted work on SIGTERM before exiting, which takes longer than the default 2 s.
        if (parse.CommandResult.Command.Name == "serve") config.ProcessTerminationTimeout = ServeCommand.TerminationTimeout(parse);
        try
        {
            return await parse.InvokeAsync(config);
        }
        catch (VerdictStoreException ex)
        {
            await console.Error.WriteLineAsync("assay: " + ex.Message);
            await console.Error.WriteLineAsync("assay: " + WayOut(ex.Fault));
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

    /// <summary>What the user can do about a store Assay will not use; the store only caches verdicts, so none of these loses results.</summary>
    private static string WayOut(VerdictStoreFault fault) => fault switch
    {
        VerdictStoreFault.Damaged =>
            "Assay neither repairs nor deletes it: run with --no-store, give another --store PATH, or move the file aside (it only caches verdicts) and rerun to start a new one.",
        VerdictStoreFault.NotAStore => "give --store a path of its own (a new file is created there), or run with --no-store.",
        VerdictStoreFault.Unwritable => "give --store a path in a writable place, or run with --no-store.",
        _ => "wait for the other run to finish, or give another --store PATH.",
    };
}
