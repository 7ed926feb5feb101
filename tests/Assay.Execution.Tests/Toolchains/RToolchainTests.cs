using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class RToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "r")
{
    [ToolchainFact("r")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("cat(\"hello\\n\")\n", "hello\n");

    [ToolchainFact("r")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        lines <- readLines(file("stdin"))
        numbers <- as.integer(strsplit(lines[1], " ")[[1]])
        cat(sum(numbers), "\n", sep = "")
        for (line in lines[-1]) cat(toupper(line), "\n", sep = "")
        """);

    [ToolchainFact("r")]
    public Task Stop_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        cat("before\n")
        stop("boom from r")
        """, "before\n", exitCode: 1, signal: null, "boom from r");

    // Rscript parses and evaluates one top-level expression at a time: the line before the error runs.
    [ToolchainFact("r")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("""
        cat("before\n")
        f <- function( {
        """, exitCode: 1, "unexpected", "before\n");
}
