using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class BashToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "bash")
{
    [ToolchainFact("bash")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("echo hello\n", "hello\n");

    [ToolchainFact("bash")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        read -r a b
        echo $((a + b))
        while IFS= read -r line; do
          echo "${line^^}"
        done
        """);

    [ToolchainFact("bash")]
    public Task Exit_status_3_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        echo before
        echo "failing on purpose" >&2
        exit 3
        echo after
        """, "before\n", exitCode: 3, signal: null, "failing on purpose");

    // Bash runs each command as soon as it has parsed it, so the line before the error does run.
    [ToolchainFact("bash")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("echo before\nif then fi\n", exitCode: 2, "syntax error", expectedStdout: "before\n");
}
