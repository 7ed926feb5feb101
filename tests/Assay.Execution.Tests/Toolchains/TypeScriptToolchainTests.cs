using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class TypeScriptToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "typescript")
{
    private static string Printing(string text) => "const message: string = \"" + text + "\";\nconsole.log(message);\n";

    [ToolchainFact("typescript")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("typescript")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        const input: string = require("fs").readFileSync(0, "utf8");
        const lines: string[] = input.split("\n").filter((l: string) => l.length > 0);
        const [a, b]: number[] = lines[0].split(" ").map(Number);
        console.log(a + b);
        for (const line of lines.slice(1)) console.log(line.toUpperCase());
        """);

    [ToolchainFact("typescript")]
    public Task Uncaught_exception_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        console.log("before");
        throw new RangeError("boom from ts");
        """, "before\n", exitCode: 1, signal: null, "RangeError: boom from ts");

    // A type error is a compile error (tsc runs with --noEmitOnError); tsc writes diagnostics to stdout.
    [ToolchainFact("typescript")]
    public Task Type_error_is_a_compile_error() =>
        AssertCompileErrorAsync("const x: number = \"not a number\";\nconsole.log(x);\n", "error TS2322");

    [ToolchainFact("typescript")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);

    [ToolchainFact("typescript")]
    public Task A_new_runner_finds_the_compiled_program_on_disk() => AssertCompileCacheSurvivesANewRunnerAsync(Printing);

    [ToolchainFact("typescript")]
    public Task Different_sources_do_not_share_a_cache_entry() => AssertDifferentSourcesDoNotShareCacheAsync(Printing);
}
