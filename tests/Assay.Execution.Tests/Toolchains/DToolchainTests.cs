using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class DToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "d")
{
    private static string Printing(string text) =>
        "import std.stdio;\n\nvoid main() {\n    writeln(\"" + text + "\");\n}\n";

    [ToolchainFact("d")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("d")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        import std.algorithm, std.array, std.conv, std.stdio, std.string;

        void main() {
            auto numbers = readln().strip().split().map!(to!int).array;
            writeln(numbers[0] + numbers[1]);
            foreach (line; stdin.byLine) writeln(line.toUpper);
        }
        """);

    // Bounds checks stay on at -O2 (only -frelease drops them): an uncaught Error ends the program with status 1.
    [ToolchainFact("d")]
    public Task Index_out_of_bounds_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        import std.stdio;

        void main(string[] args) {
            writeln("before");
            stdout.flush();
            int[] a = [1, 2, 3];
            writeln(a[args.length + 5]);
        }
        """, "before\n", exitCode: 1, signal: null, "core.exception.ArrayIndexError");

    [ToolchainFact("d")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        void main() {
            int x = "not a number";
        }
        """, "cannot implicitly convert");

    [ToolchainFact("d")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);
}
