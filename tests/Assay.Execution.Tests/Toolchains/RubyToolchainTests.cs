using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class RubyToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "ruby")
{
    [ToolchainFact("ruby")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("puts \"hello\"\n", "hello\n");

    [ToolchainFact("ruby")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        lines = $stdin.read.lines(chomp: true)
        a, b = lines[0].split.map(&:to_i)
        puts a + b
        lines.drop(1).each { |line| puts line.upcase }
        """);

    [ToolchainFact("ruby")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        puts "before"
        puts 1 / ("x".length - 1)
        """, "before\n", exitCode: 1, signal: null, "ZeroDivisionError");

    [ToolchainFact("ruby")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("puts \"before\"\ndef broken(\n", exitCode: 1, "syntax error");

    // Ruby 3.2+ has Set without `require 'set'`; the toolchain preloads it so that 3.1 (Debian 12) behaves alike.
    [ToolchainFact("ruby")]
    public Task Set_and_to_set_work_without_require() => AssertRunsOkAsync("""
        puts Set.new([3, 1, 3]).size
        puts [1, 2, 2].to_set.include?(2)
        """, "2\ntrue\n");
}
