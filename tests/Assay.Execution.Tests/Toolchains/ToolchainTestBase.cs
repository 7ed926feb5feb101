using System.Text;
using Assay.Core.Execution;
using Assay.Execution.Running;
using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

/// <summary>
/// Shared checks for the per-language toolchain tests. Every check runs a real program through the real
/// sandbox (bubblewrap + supervisor) with the language's own toolchain file; nothing is mocked. Each
/// language gets its own class so that a missing toolchain shows up as one visible skip per test.
/// </summary>
public abstract class ToolchainTestBase(SandboxFixture sandbox, string language)
{
    /// <summary>The stdin every echo test feeds: two lines, the first holding two numbers.</summary>
    protected const string EchoInput = "3 4\nabc\n";

    /// <summary>What every echo program prints for <see cref="EchoInput"/>: the sum, then the second line upper-cased.</summary>
    protected const string EchoOutput = "7\nABC\n";

    protected SandboxFixture Sandbox { get; } = sandbox;

    protected string Language { get; } = language;

    /// <summary>The program runs, exits 0, and prints exactly <paramref name="expectedStdout"/>.</summary>
    protected async Task<RunReport> AssertRunsOkAsync(string source, string expectedStdout, string stdin = "")
    {
        var report = await Sandbox.RunAsync(Language, source, stdin);
        AssertStatus(RunStatus.Ok, report);
        Assert.Equal(expectedStdout, report.Run.Stdout);
        Assert.Equal(0, report.Run.ExitCode);
        Assert.Null(report.Run.Signal);
        AssertCompileShape(report);
        if (report.Compile is { } compile)
        {
            Assert.Equal(RunStatus.Ok, compile.Status);
            Assert.Equal(0, compile.ExitCode);
        }
        return report;
    }

    /// <summary>The program reads all of <see cref="EchoInput"/> and prints <see cref="EchoOutput"/>.</summary>
    protected Task<RunReport> AssertEchoesStdinAsync(string source) => AssertRunsOkAsync(source, EchoOutput, EchoInput);

    /// <summary>
    /// The program fails at run time: RuntimeError with the given exit code or signal (exactly one of them
    /// set), what it printed before failing kept, and the runtime's complaint in stderr (or, when
    /// <paramref name="stderrContains"/> is null, an empty stderr: a signal leaves no message).
    /// </summary>
    protected async Task<RunReport> AssertRuntimeErrorAsync(string source, string expectedStdout, int? exitCode, int? signal,
        string? stderrContains)
    {
        Assert.True(exitCode is null ^ signal is null, "the test must expect exactly one of an exit code and a signal");
        var report = await Sandbox.RunAsync(Language, source);
        AssertStatus(RunStatus.RuntimeError, report);
        Assert.Equal(exitCode, report.Run.ExitCode);
        Assert.Equal(signal, report.Run.Signal);
        Assert.Equal(expectedStdout, report.Run.Stdout);
        if (stderrContains is null) Assert.Equal("", report.Run.Stderr);
        else Assert.Contains(stderrContains, report.Run.Stderr, StringComparison.Ordinal);
        Assert.NotNull(report.Run.Message);
        AssertCompileShape(report);
        if (report.Compile is { } compile) Assert.Equal(RunStatus.Ok, compile.Status);
        return report;
    }

    /// <summary>
    /// A compiled language rejects the source: CompileError, the compiler's diagnostic in the compile report,
    /// and no run at all.
    /// </summary>
    protected async Task<RunReport> AssertCompileErrorAsync(string source, string diagnosticContains)
    {
        Assert.True(Sandbox.Toolchain(Language).IsCompiled, $"{Language} is not a compiled language");
        var report = await Sandbox.RunAsync(Language, source);
        AssertStatus(RunStatus.CompileError, report);
        var compile = Assert.IsType<ProcessReport>(report.Compile);
        Assert.Equal(RunStatus.RuntimeError, compile.Status);
        Assert.NotNull(compile.ExitCode);
        Assert.NotEqual(0, compile.ExitCode);
        Assert.Contains(diagnosticContains, compile.Stdout + compile.Stderr, StringComparison.Ordinal);
        // The program was not run: the run report is the placeholder, with no output and no measurements.
        Assert.Equal(RunStatus.CompileError, report.Run.Status);
        Assert.Equal("", report.Run.Stdout);
        Assert.Equal("", report.Run.Stderr);
        Assert.Null(report.Run.ExitCode);
        Assert.Null(report.Run.Signal);
        Assert.Equal(0, report.Run.WallTimeMs);
        return report;
    }

    /// <summary>
    /// An interpreted language rejects the source when it starts: RuntimeError with the interpreter's
    /// message in stderr. Nothing of the program runs (the statement before the error prints nothing),
    /// except where the language runs statements as it parses them (<paramref name="expectedStdout"/>).
    /// </summary>
    protected async Task<RunReport> AssertSyntaxErrorAsync(string source, int exitCode, string stderrContains, string expectedStdout = "")
    {
        Assert.False(Sandbox.Toolchain(Language).IsCompiled, $"{Language} is a compiled language");
        var report = await Sandbox.RunAsync(Language, source);
        AssertStatus(RunStatus.RuntimeError, report);
        Assert.Null(report.Compile);
        Assert.Equal(exitCode, report.Run.ExitCode);
        Assert.Null(report.Run.Signal);
        Assert.Contains(stderrContains, report.Run.Stderr, StringComparison.Ordinal);
        Assert.Equal(expectedStdout, report.Run.Stdout);
        return report;
    }

    /// <summary>
    /// The same source run twice is compiled once: the first compile is fresh (the source carries a new
    /// nonce, so no earlier test run can have cached it), and a later run serves the compiled program from
    /// the cache, flagged <see cref="ProcessReport.Cached"/>, and still runs correctly.
    /// </summary>
    /// <param name="sourceFor">Builds a program that prints its argument followed by a newline.</param>
    protected async Task AssertSecondRunUsesCompileCacheAsync(Func<string, string> sourceFor)
    {
        ArgumentNullException.ThrowIfNull(sourceFor);
        var nonce = NewNonce();
        var source = sourceFor(nonce);

        var first = await AssertRunsOkAsync(source, nonce + "\n");
        var firstCompile = first.Compile!;
        Assert.False(firstCompile.Cached, "a source never seen before was served from the compile cache");
        Assert.True(firstCompile.WallTimeMs > 0, "a fresh compile must have taken measurable time");

        var second = await AssertRunsOkAsync(source, nonce + "\n");
        var secondCompile = second.Compile!;
        Assert.True(secondCompile.Cached,
            $"the second run of the same {Language} source did not report a cached compile (compile: {secondCompile})");
    }

    /// <summary>
    /// A fresh runner (as in a later `assay` process) finds the program compiled by an earlier one on disk.
    /// </summary>
    protected async Task AssertCompileCacheSurvivesANewRunnerAsync(Func<string, string> sourceFor)
    {
        ArgumentNullException.ThrowIfNull(sourceFor);
        var nonce = NewNonce();
        var source = sourceFor(nonce);
        var first = await AssertRunsOkAsync(source, nonce + "\n");
        Assert.False(first.Compile!.Cached, "a source never seen before was served from the compile cache");

        var (runner, problem) = ProgramRunner.Create(concurrency: 1);
        Assert.True(runner is not null, "a second runner could not be created: " + problem);
        using (runner)
        {
            var toolchain = runner.ResolveLanguage(Language)!.Toolchain!;
            var report = await runner.RunAsync(toolchain, source, ReadOnlyMemory<byte>.Empty, toolchain.RunLimits(ResourceLimits.Default));
            AssertStatus(RunStatus.Ok, report);
            Assert.Equal(nonce + "\n", report.Run.Stdout);
            var compile = Assert.IsType<ProcessReport>(report.Compile);
            Assert.True(compile.Cached, $"a new runner recompiled a program already compiled on disk (compile: {compile})");
            Assert.Equal(RunStatus.Ok, compile.Status);
        }
    }

    /// <summary>
    /// Two sources that differ only in what they print get separate cache entries: each compile is fresh
    /// and each run prints its own text, before and after the other was compiled.
    /// </summary>
    protected async Task AssertDifferentSourcesDoNotShareCacheAsync(Func<string, string> sourceFor)
    {
        ArgumentNullException.ThrowIfNull(sourceFor);
        var (a, b) = (NewNonce(), NewNonce());
        var reportA = await AssertRunsOkAsync(sourceFor(a), a + "\n");
        Assert.False(reportA.Compile!.Cached, "program A was served from the compile cache on its first run");
        var reportB = await AssertRunsOkAsync(sourceFor(b), b + "\n");
        Assert.False(reportB.Compile!.Cached, "program B was served from the cache entry of a different source");
        // And A still runs A's binary after B was compiled.
        await AssertRunsOkAsync(sourceFor(a), a + "\n");
    }

    /// <summary>A fresh token made only of letters and digits, safe inside any language's string literal.</summary>
    protected static string NewNonce() => "n" + Guid.NewGuid().ToString("N");

    private void AssertCompileShape(RunReport report)
    {
        if (Sandbox.Toolchain(Language).IsCompiled) Assert.NotNull(report.Compile);
        else Assert.Null(report.Compile);
    }

    private static void AssertStatus(RunStatus expected, RunReport report)
    {
        if (report.Status != expected) Assert.Fail($"expected {expected}, got {report.Status}\n{Describe(report)}");
    }

    private static string Describe(RunReport report)
    {
        var text = new StringBuilder();
        text.Append("run: ").AppendLine(report.Run.ToString())
            .Append("  stdout: ").AppendLine(Excerpt(report.Run.Stdout))
            .Append("  stderr: ").AppendLine(Excerpt(report.Run.Stderr));
        if (report.Compile is { } compile)
        {
            text.Append("compile: ").AppendLine(compile.ToString())
                .Append("  stdout: ").AppendLine(Excerpt(compile.Stdout))
                .Append("  stderr: ").AppendLine(Excerpt(compile.Stderr));
        }
        return text.ToString();
    }

    private static string Excerpt(string text) => text.Length <= 2000 ? text : text[..2000] + "...";
}
