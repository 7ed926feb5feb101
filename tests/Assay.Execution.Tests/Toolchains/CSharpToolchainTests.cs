using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class CSharpToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "csharp")
{
    private static string Printing(string text) =>
        "using System;\nclass Program { static void Main() { Console.WriteLine(\"" + text + "\"); } }\n";

    [ToolchainFact("csharp")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("csharp")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        using System;
        using System.Linq;
        class Program {
            static void Main() {
                var lines = Console.In.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
                var numbers = lines[0].Split(' ').Select(int.Parse).ToArray();
                Console.WriteLine(numbers[0] + numbers[1]);
                foreach (var line in lines.Skip(1)) Console.WriteLine(line.ToUpperInvariant());
            }
        }
        """);

    // The .NET runtime aborts on an unhandled exception (SIGABRT, 6) after printing it to stderr.
    [ToolchainFact("csharp")]
    public Task Unhandled_exception_is_killed_by_SIGABRT() => AssertRuntimeErrorAsync("""
        using System;
        class Program {
            static void Main(string[] args) {
                Console.WriteLine("before");
                Console.WriteLine(1 / args.Length);
            }
        }
        """, "before\n", exitCode: null, signal: 6, "System.DivideByZeroException");

    [ToolchainFact("csharp")]
    public Task Exit_code_3_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        using System;
        class Program {
            static int Main() {
                Console.WriteLine("before");
                Console.Error.WriteLine("failing on purpose");
                return 3;
            }
        }
        """, "before\n", exitCode: 3, signal: null, "failing on purpose");

    // csc writes its diagnostics to stdout.
    [ToolchainFact("csharp")]
    public Task Type_error_is_a_compile_error() =>
        AssertCompileErrorAsync("class Program { static void Main() { int x = \"not a number\"; } }\n", "error CS0029");

    [ToolchainFact("csharp")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);

    [ToolchainFact("csharp")]
    public Task A_new_runner_finds_the_compiled_program_on_disk() => AssertCompileCacheSurvivesANewRunnerAsync(Printing);

    [ToolchainFact("csharp")]
    public Task Different_sources_do_not_share_a_cache_entry() => AssertDifferentSourcesDoNotShareCacheAsync(Printing);
}
