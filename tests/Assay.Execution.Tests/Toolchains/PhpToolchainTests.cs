using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class PhpToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "php")
{
    [ToolchainFact("php")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("<?php\necho \"hello\\n\";\n", "hello\n");

    [ToolchainFact("php")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        <?php
        $lines = explode("\n", rtrim(stream_get_contents(STDIN), "\n"));
        [$a, $b] = array_map('intval', explode(' ', $lines[0]));
        echo $a + $b, "\n";
        foreach (array_slice($lines, 1) as $line) echo strtoupper($line), "\n";
        """);

    // PHP's CLI ends with status 255 on an uncaught error and logs it to stderr.
    [ToolchainFact("php")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        <?php
        echo "before\n";
        echo intdiv(1, strlen("x") - 1);
        """, "before\n", exitCode: 255, signal: null, "DivisionByZeroError");

    [ToolchainFact("php")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("<?php\necho \"before\\n\";\necho ;\n", exitCode: 255, "Parse error");
}
