using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class JavaToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "java")
{
    private static string Printing(string text) =>
        "public class Main {\n    public static void main(String[] args) {\n        System.out.println(\"" + text + "\");\n    }\n}\n";

    [ToolchainFact("java")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("java")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        import java.io.BufferedReader;
        import java.io.InputStreamReader;
        import java.util.List;
        import java.util.stream.Collectors;

        public class Main {
            public static void main(String[] args) throws Exception {
                List<String> lines = new BufferedReader(new InputStreamReader(System.in)).lines().collect(Collectors.toList());
                String[] parts = lines.get(0).split(" ");
                System.out.println(Integer.parseInt(parts[0]) + Integer.parseInt(parts[1]));
                for (String line : lines.subList(1, lines.size())) System.out.println(line.toUpperCase());
            }
        }
        """);

    // An uncaught exception ends the JVM with status 1 and the stack trace on stderr.
    [ToolchainFact("java")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        public class Main {
            public static void main(String[] args) {
                System.out.println("before");
                System.out.println(1 / args.length);
            }
        }
        """, "before\n", exitCode: 1, signal: null, "java.lang.ArithmeticException: / by zero");

    [ToolchainFact("java")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        public class Main {
            public static void main(String[] args) {
                int x = "not a number";
            }
        }
        """, "incompatible types");

    [ToolchainFact("java")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);

    [ToolchainFact("java")]
    public Task A_new_runner_finds_the_compiled_program_on_disk() => AssertCompileCacheSurvivesANewRunnerAsync(Printing);

    [ToolchainFact("java")]
    public Task Different_sources_do_not_share_a_cache_entry() => AssertDifferentSourcesDoNotShareCacheAsync(Printing);
}
