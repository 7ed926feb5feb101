using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class LuaToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "lua")
{
    [ToolchainFact("lua")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("print(\"hello\")\n", "hello\n");

    [ToolchainFact("lua")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        local a, b = io.read("n", "n")
        io.read("l")
        print(math.floor(a + b))
        for line in io.lines() do
          print(string.upper(line))
        end
        """);

    [ToolchainFact("lua")]
    public Task Uncaught_error_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        print("before")
        error("boom from lua")
        """, "before\n", exitCode: 1, signal: null, "boom from lua");

    [ToolchainFact("lua")]
    public Task Exit_status_3_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        print("before")
        io.stderr:write("failing on purpose\n")
        os.exit(3)
        print("after")
        """, "before\n", exitCode: 3, signal: null, "failing on purpose");

    [ToolchainFact("lua")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("print(\"before\")\nprint(\n", exitCode: 1, "main.lua:3:");
}
