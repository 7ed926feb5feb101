using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class JavaScriptToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "javascript")
{
    [ToolchainFact("javascript")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("console.log('hello');\n", "hello\n");

    [ToolchainFact("javascript")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(l => l.length > 0);
        const [a, b] = lines[0].split(' ').map(Number);
        console.log(a + b);
        for (const line of lines.slice(1)) console.log(line.toUpperCase());
        """);

    [ToolchainFact("javascript")]
    public Task Uncaught_exception_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        console.log('before');
        throw new RangeError('boom from js');
        """, "before\n", exitCode: 1, signal: null, "RangeError: boom from js");

    [ToolchainFact("javascript")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("console.log('before');\nlet = ;\n", exitCode: 1, "SyntaxError");
}
