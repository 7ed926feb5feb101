using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class OCamlToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "ocaml")
{
    private static string Printing(string text) =>
        "let () = print_endline \"" + text + "\"\n";

    [ToolchainFact("ocaml")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("ocaml")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        let () =
          let a, b = Scanf.sscanf (input_line stdin) "%d %d" (fun a b -> (a, b)) in
          Printf.printf "%d\n" (a + b);
          try
            while true do print_endline (String.uppercase_ascii (input_line stdin)) done
          with End_of_file -> ()
        """);

    // An uncaught exception ends an OCaml program with status 2.
    [ToolchainFact("ocaml")]
    public Task Uncaught_exception_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        let () =
          print_endline "before";
          Printf.printf "%d\n" (1 / (Array.length Sys.argv - 1))
        """, "before\n", exitCode: 2, signal: null, "Fatal error: exception Division_by_zero");

    [ToolchainFact("ocaml")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        let () =
          let x : int = "not a number" in
          print_int x
        """, "This expression has type string");

    [ToolchainFact("ocaml")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);
}
