using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Assay.Datasets.Formats;

namespace Assay.Cli.Commands;

/// <summary>
/// `assay formats`: the problem and sample formats Assay reads, how `auto` tells them apart, the benchmarks each
/// covers and an example record's fields. Everything printed is the formats' own description (FormatCatalog, on
/// the enum values in Assay.Datasets); nothing here is a copy of it.
/// </summary>
internal static class FormatsCommand
{
    public static Command Build(CliConsole console)
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object with both lists." };
        var command = new Command("formats", "List the problem and sample file formats Assay reads, and how each is recognised.") { json };
        command.SetAction(async (parse, _) =>
        {
            if (parse.GetValue(json))
            {
                var report = new Dictionary<string, object>
                {
                    ["problem_formats"] = FormatCatalog.ProblemFormats.Select(Row).ToList(),
                    ["sample_formats"] = FormatCatalog.SampleFormats.Select(Row).ToList(),
                };
                await console.Out.WriteLineAsync(JsonSerializer.Serialize(report, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
                return ExitCodes.Success;
            }
            await Write(console, "Problem formats (--problems-format NAME)", FormatCatalog.ProblemFormats);
            await console.Out.WriteLineAsync();
            await Write(console, "Sample formats (--samples-format NAME)", FormatCatalog.SampleFormats);
            await console.Out.WriteLineAsync();
            await console.Out.WriteLineAsync("With auto (the default) each record is read as the first format above whose fields it has; naming a format skips the guess.");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Dictionary<string, object> Row(FormatDescription f) => new()
    {
        ["name"] = f.Name,
        ["benchmarks"] = f.Benchmarks,
        ["detected_by"] = f.Detection,
        ["summary"] = f.Summary,
        ["example_fields"] = f.ExampleFields,
        ["example"] = JsonDocument.Parse(f.Example).RootElement.Clone(),
    };

    /// <summary>
    /// Plain indented lines on stdout, one per fact, never wrapped by us: a grid pads each line to its widest cell and
    /// Spectre wraps long ones without the indent; `grep` and a terminal both read these as they are.
    /// </summary>
    private static async Task Write(CliConsole console, string title, IReadOnlyList<FormatDescription> formats)
    {
        await console.Out.WriteLineAsync(title);
        foreach (var f in formats)
        {
            await console.Out.WriteLineAsync($"  {f.Name}: {string.Join(", ", f.Benchmarks)}");
            await console.Out.WriteLineAsync("      recognised by: " + f.Detection);
            await console.Out.WriteLineAsync("      example fields: " + string.Join(", ", f.ExampleFields));
            await console.Out.WriteLineAsync("      " + f.Summary);
        }
    }
}
