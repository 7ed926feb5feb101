using Spectre.Console;

namespace Assay.Cli;

/// <summary>
/// Where a command writes: machine output (JSON, program output) to <see cref="Out"/>, human messages and
/// tables to <see cref="Error"/>/<see cref="Ui"/>. Tests pass string writers and read what was written.
/// </summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, IAnsiConsole Ui)
{
    public static CliConsole Standard()
    {
        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        return new CliConsole(stdout, stderr, AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }));
    }

    /// <summary>A console that captures everything, with no colours or terminal control codes.</summary>
    public static CliConsole Capture(StringWriter stdout, StringWriter stderr) =>
        new(stdout, stderr, AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(stderr),
        }));
}
