using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class AwkToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "awk")
{
    [ToolchainFact("awk")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("BEGIN { print \"hello\" }\n", "hello\n");

    [ToolchainFact("awk")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        NR == 1 { print $1 + $2; next }
        { print toupper($0) }
        """);

    // gawk stops with status 2 on a fatal error.
    [ToolchainFact("awk")]
    public Task Division_by_zero_is_fatal() => AssertRuntimeErrorAsync("""
        BEGIN {
            print "before"
            zero = 0
            print 1 / zero
        }
        """, "before\n", exitCode: 2, signal: null, "division by zero attempted");

    // gawk parses the whole program first: nothing runs.
    [ToolchainFact("awk")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("""
        BEGIN { print "before" }
        { print $1
        """, exitCode: 1, "main.awk:2:");
}
