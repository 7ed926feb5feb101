using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class NimToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "nim")
{
    private static string Printing(string text) =>
        "echo \"" + text + "\"\n";

    [ToolchainFact("nim")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("nim")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        import strutils

        let numbers = stdin.readLine().splitWhitespace()
        echo parseInt(numbers[0]) + parseInt(numbers[1])
        for line in stdin.lines:
          echo line.toUpperAscii()
        """);

    // Release builds keep Nim's overflow and division checks: an unhandled defect ends the program with status 1.
    [ToolchainFact("nim")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        import os

        echo "before"
        let zero = paramCount()
        echo 1 div zero
        """, "before\n", exitCode: 1, signal: null, "DivByZeroDefect");

    [ToolchainFact("nim")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        let x: int = "not a number"
        """, "type mismatch");

    [ToolchainFact("nim")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);
}
