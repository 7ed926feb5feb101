using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class RustToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "rust")
{
    private static string Printing(string text) => "fn main() {\n    println!(\"" + text + "\");\n}\n";

    [ToolchainFact("rust")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("rust")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        use std::io::Read;

        fn main() {
            let mut input = String::new();
            std::io::stdin().read_to_string(&mut input).unwrap();
            let mut lines = input.lines();
            let sum: i64 = lines.next().unwrap().split_whitespace().map(|n| n.parse::<i64>().unwrap()).sum();
            println!("{}", sum);
            for line in lines {
                println!("{}", line.to_uppercase());
            }
        }
        """);

    // A Rust panic ends the program with status 101 and the panic message on stderr.
    [ToolchainFact("rust")]
    public Task Panic_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        fn main() {
            println!("before");
            let zero = std::env::args().count() - 1;
            println!("{}", 1 / zero);
        }
        """, "before\n", exitCode: 101, signal: null, "attempt to divide by zero");

    [ToolchainFact("rust")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        fn main() {
            let x: i32 = "not a number";
            println!("{}", x);
        }
        """, "error[E0308]: mismatched types");

    [ToolchainFact("rust")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);

    [ToolchainFact("rust")]
    public Task A_new_runner_finds_the_compiled_program_on_disk() => AssertCompileCacheSurvivesANewRunnerAsync(Printing);

    [ToolchainFact("rust")]
    public Task Different_sources_do_not_share_a_cache_entry() => AssertDifferentSourcesDoNotShareCacheAsync(Printing);
}
