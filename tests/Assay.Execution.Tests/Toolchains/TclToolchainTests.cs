using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class TclToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "tcl")
{
    [ToolchainFact("tcl")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("puts \"hello\"\n", "hello\n");

    [ToolchainFact("tcl")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        gets stdin line
        lassign [split $line " "] a b
        puts [expr {$a + $b}]
        while {[gets stdin line] >= 0} { puts [string toupper $line] }
        """);

    [ToolchainFact("tcl")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        puts "before"
        puts [expr {1 / ([string length "x"] - 1)}]
        """, "before\n", exitCode: 1, signal: null, "divide by zero");

    // tclsh evaluates one command at a time: the command before the unclosed brace runs.
    [ToolchainFact("tcl")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("""
        puts "before"
        proc broken {x} {
        """, exitCode: 1, "missing close-brace", "before\n");
}
