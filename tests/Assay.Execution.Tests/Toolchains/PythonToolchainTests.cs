using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class PythonToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "python")
{
    [ToolchainFact("python")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("print('hello')\n", "hello\n");

    [ToolchainFact("python")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        import sys
        lines = sys.stdin.read().splitlines()
        a, b = map(int, lines[0].split())
        print(a + b)
        for line in lines[1:]:
            print(line.upper())
        """);

    [ToolchainFact("python")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        print('before')
        print(1 // (len('x') - 1))
        """, "before\n", exitCode: 1, signal: null, "ZeroDivisionError");

    [ToolchainFact("python")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("print('before')\nprint(\n", exitCode: 1, "SyntaxError");
}
