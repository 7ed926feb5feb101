using System.CommandLine;
using System.Text.Json;
using Assay.Execution.Running;
using Assay.Execution.Toolchains;
using Spectre.Console;

namespace Assay.Cli.Commands;

/// <summary>`assay toolchains`: each language with its detected version, or what to install.</summary>
internal static class ToolchainsCommand
{
    public static Command Build(CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array instead of a table." };
        var command = new Command("toolchains", "List the languages Assay can run here, with versions or what is missing.") { json };
        command.SetAction((parse, _) => Execute(console, parse.GetValue(json)));
        return command;
    }

    private static async Task<int> Execute(CliConsole console, bool json)
    {
        var (runner, problem) = ProgramRunner.Create(concurrency: 1);
        if (runner is null)
        {
            await console.Error.WriteLineAsync("assay: " + problem);
            return ExitCodes.AssayFault;
        }
        using (runner)
        {
            // Version commands start compilers and runtimes: ask them all at once.
            var resolutions = await Task.WhenAll(runner.Catalog.Definitions
                .Select(d => Task.Run(() => runner.ResolveLanguage(d.Name)!)));
            if (json)
            {
                var rows = resolutions.Select(r => new Dictionary<string, object?>
                {
                    ["name"] = r.Definition.Name,
                    ["display_name"] = r.Definition.DisplayName,
                    ["aliases"] = r.Definition.Aliases,
                    ["available"] = r.IsAvailable,
                    ["version"] = r.Toolchain?.Version,
                    ["compiled"] = r.Definition.Compile is not null,
                    ["unsupported"] = r.Definition.Unavailable is not null,
                    ["problem"] = r.Problem,
                });
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(rows));
                return ExitCodes.Success;
            }
            var table = new Table().AddColumns("language", "aliases", "kind", "version / what to install");
            foreach (var r in resolutions)
            {
                table.AddRow(
                    Markup.Escape(r.Definition.Name),
                    Markup.Escape(string.Join(", ", r.Definition.Aliases)),
                    r.Definition.Unavailable is not null ? "unsupported" : r.Definition.Compile is null ? "interpreted" : "compiled",
                    r.Toolchain is { } t ? "[green]" + Markup.Escape(t.Version) + "[/]" : "[red]" + Markup.Escape(r.Problem ?? "") + "[/]");
            }
            console.Ui.Write(table);
            return ExitCodes.Success;
        }
    }

    internal static string Describe(ToolchainResolution r) => r.Toolchain?.Version ?? r.Problem ?? "";
}
