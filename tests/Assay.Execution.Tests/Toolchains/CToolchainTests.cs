using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class CToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "c")
{
    private static string Printing(string text) => "#include <stdio.h>\nint main(void) { puts(\"" + text + "\"); return 0; }\n";

    [ToolchainFact("c")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("c")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        #include <ctype.h>
        #include <stdio.h>
        int main(void) {
            int a, b, c;
            if (scanf("%d %d", &a, &b) != 2) return 1;
            printf("%d\n", a + b);
            while ((c = getchar()) != '\n' && c != EOF) {}
            while ((c = getchar()) != EOF) putchar(toupper(c));
            return 0;
        }
        """);

    // An integer division by zero traps on x86: SIGFPE (8). Both operands come from run time, so the compiler
    // can neither fold the division nor turn it into a comparison (as GCC does with `1 / x`).
    [ToolchainFact("c")]
    public Task Division_by_zero_is_killed_by_SIGFPE() => AssertRuntimeErrorAsync("""
        #include <stdio.h>
        int main(int argc, char **argv) {
            (void)argv;
            volatile int zero = argc - 1;
            puts("before");
            fflush(stdout);
            printf("%d\n", (argc + 41) / zero);
            return 0;
        }
        """, "before\n", exitCode: null, signal: 8, stderrContains: null);

    [ToolchainFact("c")]
    public Task Exit_status_3_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        #include <stdio.h>
        #include <stdlib.h>
        int main(void) {
            puts("before");
            fputs("failing on purpose\n", stderr);
            exit(3);
        }
        """, "before\n", exitCode: 3, signal: null, "failing on purpose");

    [ToolchainFact("c")]
    public Task Undeclared_identifier_is_a_compile_error() =>
        AssertCompileErrorAsync("int main(void) { return undeclared_thing; }\n", "undeclared_thing");

    [ToolchainFact("c")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);

    [ToolchainFact("c")]
    public Task A_new_runner_finds_the_compiled_program_on_disk() => AssertCompileCacheSurvivesANewRunnerAsync(Printing);

    [ToolchainFact("c")]
    public Task Different_sources_do_not_share_a_cache_entry() => AssertDifferentSourcesDoNotShareCacheAsync(Printing);
}
