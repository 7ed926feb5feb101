using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class CrystalToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "crystal")
{
    private static string Printing(string text) =>
        "puts \"" + text + "\"\n";

    [ToolchainFact("crystal")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("crystal")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        a, b = STDIN.gets.not_nil!.split.map(&.to_i)
        puts a + b
        STDIN.each_line { |line| puts line.upcase }
        """);

    [ToolchainFact("crystal")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        puts "before"
        STDOUT.flush
        puts 1 // ARGV.size
        """, "before\n", exitCode: 1, signal: null, "DivisionByZeroError");

    [ToolchainFact("crystal")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        x : Int32 = "not a number"
        """, "type must be Int32, not String");

    [ToolchainFact("crystal")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);
}
