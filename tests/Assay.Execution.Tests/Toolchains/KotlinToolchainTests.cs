using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class KotlinToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "kotlin")
{
    private static string Printing(string text) =>
        "fun main() {\n    println(\"" + text + "\")\n}\n";

    [ToolchainFact("kotlin")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("kotlin")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        fun main() {
            val lines = generateSequence(::readLine).toList()
            println(lines[0].split(" ").map { it.toInt() }.sum())
            lines.drop(1).forEach { println(it.toUpperCase()) }
        }
        """);

    [ToolchainFact("kotlin")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        fun main(args: Array<String>) {
            println("before")
            println(1 / args.size)
        }
        """, "before\n", exitCode: 1, signal: null, "java.lang.ArithmeticException: / by zero");

    [ToolchainFact("kotlin")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        fun main() {
            val x: Int = "not a number"
        }
        """, "type mismatch");

    [ToolchainFact("kotlin")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);
}
