using Spectre.Console;

namespace Assay.Cli;

/// <summary>
/// Where a command writes. Results — JSON, tables, summaries, a program's own output — go to stdout
/// (<see cref="Out"/>, <see cref="Ui"/>), so `assay eval … &gt; summary.txt` and `assay toolchains | grep lua` work;
/// diagnostics go to stderr: errors and warnings to <see cref="Error"/>, progress bars to <see cref="Progress"/> and
/// informational lines to <see cref="Info"/>, both silenced by `--quiet`. Tests pass string writers and read them.
/// </summary>
public sealed class CliConsole
{
    private readonly bool _stderrIsTerminal;

    private CliConsole(TextWriter stdout, TextWriter stderr, IAnsiConsole ui, IAnsiConsole progress, bool stderrIsTerminal)
    {
        Out = stdout;
        Error = stderr;
        Ui = ui;
        Progress = progress;
        _stderrIsTerminal = stderrIsTerminal;
    }

    /// <summary>stdout, for machine-readable results and a program's output.</summary>
    public TextWriter Out { get; }

    /// <summary>stderr, for errors and warnings (kept under `--quiet`).</summary>
    public TextWriter Error { get; }

    /// <summary>Tables and summaries, rendered to stdout.</summary>
    public IAnsiConsole Ui { get; }

    /// <summary>Progress bars, on stderr; use only when <see cref="ShowsProgress"/>.</summary>
    public IAnsiConsole Progress { get; }

    /// <summary>`--quiet`: no progress bars and no informational lines; results, warnings and errors stay.</summary>
    public bool Quiet { get; set; }

    /// <summary>Informational lines ("judging 400 samples…") on stderr, or nowhere under `--quiet`.</summary>
    public TextWriter Info => Quiet ? TextWriter.Null : Error;

    /// <summary>A progress bar only for a person watching stderr, never into a log file or under `--quiet`.</summary>
    public bool ShowsProgress => !Quiet && _stderrIsTerminal && Progress.Profile.Capabilities.Interactive;

    public static CliConsole Standard()
    {
        var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        var stderr = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        var ui = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
        // Into a file or a pipe there is no terminal width to fit: a wide page keeps a cell (a path) on one line.
        if (Console.IsOutputRedirected) ui.Profile.Width = 240;
        var progress = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return new CliConsole(stdout, stderr, ui, progress, stderrIsTerminal: !Console.IsErrorRedirected)
        {
            PipedInput = () => Console.IsInputRedirected ? Console.OpenStandardInput() : null,
        };
    }

    /// <summary>
    /// Standard input when it is a pipe or a file (never a terminal, which would wait for typing), or null. A captured
    /// console has none, so an in-process test never reads the test host's input.
    /// </summary>
    public Func<Stream?> PipedInput { get; init; } = () => null;

    /// <summary>A console that captures everything, with no colours, terminal control codes or progress bars.</summary>
    public static CliConsole Capture(StringWriter stdout, StringWriter stderr) =>
        new(stdout, stderr, Plain(stdout), Plain(stderr), stderrIsTerminal: false);

    private static IAnsiConsole Plain(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Profile.Width = 240;
        return console;
    }
}
