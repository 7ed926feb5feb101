using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class PascalToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "pascal")
{
    private static string Printing(string text) =>
        "program main;\nbegin\n  writeln('" + text + "');\nend.\n";

    [ToolchainFact("pascal")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("pascal")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        program main;
        uses sysutils;
        var
          a, b: integer;
          line: string;
        begin
          readln(a, b);
          writeln(a + b);
          while not eof do
          begin
            readln(line);
            writeln(UpperCase(line));
          end;
        end.
        """);

    // Free Pascal reports run-time errors by number and exits with it: 200 is division by zero.
    [ToolchainFact("pascal")]
    public Task Division_by_zero_is_runtime_error_200() => AssertRuntimeErrorAsync("""
        program main;
        var a, zero: integer;
        begin
          writeln('before');
          zero := ParamCount;
          a := 1 div zero;
          writeln(a);
        end.
        """, "before\n", exitCode: 200, signal: null, "Runtime error 200");

    [ToolchainFact("pascal")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        program main;
        var x: integer;
        begin
          x := 'not a number';
        end.
        """, "Incompatible types");

    [ToolchainFact("pascal")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);
}
