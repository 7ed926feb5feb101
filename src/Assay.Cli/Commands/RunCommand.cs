using System.CommandLine;
using Assay.Cli.Rendering;
using Assay.Core.Execution;
using Assay.Execution.Running;
using Assay.Execution.Toolchains;

namespace Assay.Cli.Commands;

/// <summary>`assay run`: one untrusted program, sandboxed, with its verdict and measurements.</summary>
internal static class RunCommand
{
    public static Command Build(CliConsole console)
    {
        var lang = new Option<string>("--lang", "-l") { Description = "Language (see `assay toolchains`).", Required = true };
        var file = new Option<FileInfo?>("--file", "-f") { Description = "Source file to run." };
        var code = new Option<string?>("--code", "-c") { Description = "Source code given inline." };
        var stdin = new Option<FileInfo?>("--stdin")
        {
            Description = "File fed to the program's standard input (default: Assay's own standard input when it is piped or redirected, else nothing).",
        };
        var timeLimit = new Option<double?>("--time-limit", "-t") { Description = "CPU time limit in seconds (wall-clock backstop: 3 × that + 1 s)." };
        var memoryLimit = new Option<long?>("--memory-limit", "-m") { Description = "Memory limit in MB." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of the program's output." };
        var exitCode = new Option<bool>("--exit-code")
        {
            Description = "Exit with the program's own exit code (128 + N if signal N ended it; 123 output_limit, 124 time_limit, "
                + "125 memory_limit, 126 compile_error; 1 and 2 stay Assay's own faults and bad input).",
        };
        var command = new Command("run", "Run one program in the sandbox and report how it ended.")
        {
            lang, file, code, stdin, timeLimit, memoryLimit, json, exitCode,
        };
        command.SetAction((parse, cancellationToken) => ExecuteAsync(console, new RunArguments(
            parse.GetValue(lang)!, parse.GetValue(file), parse.GetValue(code), parse.GetValue(stdin),
            parse.GetValue(timeLimit), parse.GetValue(memoryLimit), parse.GetValue(json), parse.GetValue(exitCode)), cancellationToken));
        return command;
    }

    private sealed record RunArguments(string Language, FileInfo? File, string? Code, FileInfo? Stdin, double? TimeLimit,
        long? MemoryLimitMb, bool Json, bool ExitCode);

    private static async Task<int> ExecuteAsync(CliConsole console, RunArguments args, CancellationToken cancellationToken)
    {
        if ((args.File is null) == (args.Code is null))
            return await Fail(console, ExitCodes.BadInput, "give exactly one of --file and --code");
        foreach (var (option, file) in new[] { ("--file", args.File), ("--stdin", args.Stdin) })
        {
            if (file is not null && Directory.Exists(file.FullName))
                return await Fail(console, ExitCodes.BadInput, $"{option} {file.FullName} is a directory, not a file");
        }
        string source;
        try
        {
            source = args.Code ?? await System.IO.File.ReadAllTextAsync(args.File!.FullName, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return await Fail(console, ExitCodes.BadInput, $"cannot read {args.File!.FullName}: {ex.Message}");
        }
        byte[] input = [];
        if (args.Stdin is not null)
        {
            try
            {
                input = await System.IO.File.ReadAllBytesAsync(args.Stdin.FullName, cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return await Fail(console, ExitCodes.BadInput, $"cannot read {args.Stdin.FullName}: {ex.Message}");
            }
        }
        if (CommandDefaults.SecondsProblem("--time-limit", args.TimeLimit, 3600) is { } seconds) return await Fail(console, ExitCodes.BadInput, seconds);
        if (args.MemoryLimitMb is < 1 or > 65536) return await Fail(console, ExitCodes.BadInput, "--memory-limit must be between 1 and 65536 MB");
        if (args.Stdin is null && console.PipedInput() is { } piped)
        {
            // `echo 21 | assay run ...`: what is piped in is the program's input, as when running it directly. Read
            // after the options are checked, so a mistake is reported without waiting for the pipe to end.
            await using (piped)
            {
                using var buffer = new MemoryStream();
                await piped.CopyToAsync(buffer, cancellationToken);
                input = buffer.ToArray();
            }
        }

        var (runner, problem) = ProgramRunner.Create(concurrency: 1);
        if (runner is null) return await Fail(console, ExitCodes.AssayFault, problem!);
        using (runner)
        {
            var resolution = runner.ResolveLanguage(args.Language);
            if (resolution is null)
            {
                var known = string.Join(", ", runner.Catalog.Definitions.Select(d => d.Name));
                return await Fail(console, ExitCodes.BadInput, $"unknown language `{args.Language}` (known: {known})");
            }
            if (resolution.Toolchain is not { } toolchain) return await Fail(console, ExitCodes.AssayFault, resolution.Problem!);

            var limits = UserLimits(toolchain, args);
            var report = await runner.RunAsync(toolchain, source, input, limits, cancellationToken);
            if (args.Json)
            {
                await console.Out.WriteLineAsync(ReportJson.Serialize(report, toolchain.Name, toolchain.Version));
            }
            else
            {
                if (report.Compile is { Status: not RunStatus.Ok } failedCompile)
                {
                    await console.Error.WriteAsync(failedCompile.Stdout + failedCompile.Stderr);
                }
                await console.Out.WriteAsync(report.Run.Stdout);
                await console.Error.WriteAsync(report.Run.Stderr);
                await console.Info.WriteLineAsync(Summary(report));
            }
            if (report.Status == RunStatus.SandboxError) return ExitCodes.AssayFault;
            return args.ExitCode ? ExitCodes.OfProgram(report) : ExitCodes.Success;
        }
    }

    private static ResourceLimits UserLimits(Toolchain toolchain, RunArguments args)
    {
        var limits = toolchain.RunLimits(ResourceLimits.Default);
        if (args.TimeLimit is { } seconds) limits = TimeLimitPolicy.Apply(limits, seconds);
        if (args.MemoryLimitMb is { } mb) limits = limits with { MemoryKb = mb * 1024 };
        return limits;
    }

    private static string Summary(RunReport report)
    {
        var run = report.Run;
        var parts = new List<string> { "assay: " + report.Status.ToWireName() };
        if (report.Compile is { } compile) parts.Add($"compile {compile.WallTimeMs:F0} ms{(compile.Cached ? " (cached)" : "")}");
        if (run.ExitCode is { } code) parts.Add($"exit {code}");
        if (run.Signal is { } signal) parts.Add($"signal {signal}");
        // A program that did not compile never ran: no run figures (they were "0.0 ms wall · 0.0 MB peak").
        if (report.Status != RunStatus.CompileError)
        {
            parts.Add($"{run.WallTimeMs:F1} ms wall");
            parts.Add($"{run.CpuTimeMs:F1} ms cpu");
            parts.Add($"{run.PeakMemoryKb / 1024.0:F1} MB peak");
        }
        var message = report.Status == RunStatus.CompileError ? null : run.Message;
        if (message is not null && report.Status != RunStatus.RuntimeError) parts.Add(message);
        if (run.StdoutTruncated) parts.Add("stdout truncated");
        return string.Join(" · ", parts);
    }

    private static async Task<int> Fail(CliConsole console, int exitCode, string message)
    {
        await console.Error.WriteLineAsync("assay: " + message);
        return exitCode;
    }
}
