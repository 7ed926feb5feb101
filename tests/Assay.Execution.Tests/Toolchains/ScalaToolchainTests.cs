using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class ScalaToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "scala")
{
    private static string Printing(string text) =>
        "object Main {\n  def main(args: Array[String]): Unit = {\n    println(\"" + text + "\")\n  }\n}\n";

    [ToolchainFact("scala")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("scala")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        object Main {
          def main(args: Array[String]): Unit = {
            val lines = scala.io.Source.stdin.getLines().toList
            println(lines.head.split(" ").map(_.toInt).sum)
            lines.tail.foreach(line => println(line.toUpperCase))
          }
        }
        """);

    [ToolchainFact("scala")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        object Main {
          def main(args: Array[String]): Unit = {
            println("before")
            println(1 / args.length)
          }
        }
        """, "before\n", exitCode: 1, signal: null, "java.lang.ArithmeticException: / by zero");

    [ToolchainFact("scala")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        object Main {
          def main(args: Array[String]): Unit = {
            val x: Int = "not a number"
          }
        }
        """, "type mismatch");

    [ToolchainFact("scala")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);
}
