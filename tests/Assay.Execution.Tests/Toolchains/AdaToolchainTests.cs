using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class AdaToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "ada")
{
    private static string Printing(string text) =>
        "with Ada.Text_IO;\n\nprocedure Main is\nbegin\n   Ada.Text_IO.Put_Line (\"" + text + "\");\nend Main;\n";

    [ToolchainFact("ada")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("ada")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        with Ada.Characters.Handling; use Ada.Characters.Handling;
        with Ada.Integer_Text_IO; use Ada.Integer_Text_IO;
        with Ada.Text_IO; use Ada.Text_IO;

        procedure Main is
           A, B : Integer;
        begin
           Get (A);
           Get (B);
           Skip_Line;
           Put (A + B, Width => 0);
           New_Line;
           while not End_Of_File loop
              Put_Line (To_Upper (Get_Line));
           end loop;
        end Main;
        """);

    [ToolchainFact("ada")]
    public Task Constraint_error_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        with Ada.Command_Line;
        with Ada.Text_IO; use Ada.Text_IO;

        procedure Main is
           Zero : constant Integer := Ada.Command_Line.Argument_Count;
        begin
           Put_Line ("before");
           Put_Line (Integer'Image (1 / Zero));
        end Main;
        """, "before\n", exitCode: 1, signal: null, "raised CONSTRAINT_ERROR");

    [ToolchainFact("ada")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        procedure Main is
           X : Integer := "not a number";
        begin
           null;
        end Main;
        """, "expected type");

    [ToolchainFact("ada")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);
}
