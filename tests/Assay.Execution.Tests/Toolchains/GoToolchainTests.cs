using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class GoToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "go")
{
    private static string Printing(string text) => "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"" + text + "\")\n}\n";

    [ToolchainFact("go")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("go")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        package main

        import (
            "bufio"
            "fmt"
            "os"
            "strings"
        )

        func main() {
            in := bufio.NewReader(os.Stdin)
            var a, b int
            fmt.Fscan(in, &a, &b)
            fmt.Println(a + b)
            in.ReadString('\n')
            for {
                line, err := in.ReadString('\n')
                if len(line) > 0 {
                    fmt.Println(strings.ToUpper(strings.TrimRight(line, "\n")))
                }
                if err != nil {
                    break
                }
            }
        }
        """);

    // A Go panic ends the program with status 2 and the panic message on stderr.
    [ToolchainFact("go")]
    public Task Division_by_zero_panics() => AssertRuntimeErrorAsync("""
        package main

        import (
            "fmt"
            "os"
        )

        func main() {
            fmt.Println("before")
            zero := len(os.Args) - 1
            fmt.Println(1 / zero)
        }
        """, "before\n", exitCode: 2, signal: null, "integer divide by zero");

    [ToolchainFact("go")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        package main

        func main() {
            var x int = "not a number"
            _ = x
        }
        """, "cannot use");

    [ToolchainFact("go")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);

    [ToolchainFact("go")]
    public Task A_new_runner_finds_the_compiled_program_on_disk() => AssertCompileCacheSurvivesANewRunnerAsync(Printing);

    [ToolchainFact("go")]
    public Task Different_sources_do_not_share_a_cache_entry() => AssertDifferentSourcesDoNotShareCacheAsync(Printing);
}
