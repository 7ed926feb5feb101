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

    // The type library matches what Node runs: ES2022's `at` and ES2021's `replaceAll` type-check.
    [ToolchainFact("typescript")]
    public Task ES2022_library_methods_type_check_and_run() => AssertRunsOkAsync("""
        const last: number | undefined = [1, 2, 3].at(-1);
        console.log(last, "a-b-c".replaceAll("-", "+"), Object.hasOwn({ k: 1 }, "k"));
        """, "3 a+b+c true\n");

    // MBXP's prompts import mathjs and heap-js, which are not installed: an unused import compiles (tsc drops
    // it) and runs; a used one fails when the program runs, not as a type error.
    [ToolchainFact("typescript")]
    public Task Unused_imports_of_MBXP_s_npm_packages_compile_and_run() => AssertRunsOkAsync("""
        import * as math from 'mathjs'
        import {Heap} from 'heap-js'
        const answer: number = 42;
        console.log(answer);
        """, "42\n");

    [ToolchainFact("typescript")]
    public Task A_used_import_of_an_uninstalled_package_fails_at_run_time() => AssertRuntimeErrorAsync("""
        import * as math from 'mathjs'
        console.log(math.sqrt(4));
        """, "", exitCode: 1, signal: null, "Cannot find module 'mathjs'");

    [ToolchainFact("typescript")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);

    [ToolchainFact("typescript")]
    public Task A_new_runner_finds_the_compiled_program_on_disk() => AssertCompileCacheSurvivesANewRunnerAsync(Printing);

    [ToolchainFact("typescript")]
    public Task Different_sources_do_not_share_a_cache_entry() => AssertDifferentSourcesDoNotShareCacheAsync(Printing);
}
