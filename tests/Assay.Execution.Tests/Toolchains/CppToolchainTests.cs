using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class CppToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "cpp")
{
    private static string Printing(string text) =>
        "#include <iostream>\nint main() { std::cout << \"" + text + "\" << '\\n'; return 0; }\n";

    [ToolchainFact("cpp")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("cpp")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        #include <algorithm>
        #include <cctype>
        #include <iostream>
        #include <string>
        int main() {
            int a, b;
            std::cin >> a >> b;
            std::cout << a + b << '\n';
            std::string line;
            std::getline(std::cin, line);
            while (std::getline(std::cin, line)) {
                std::transform(line.begin(), line.end(), line.begin(), [](unsigned char c) { return std::toupper(c); });
                std::cout << line << '\n';
            }
        }
        """);

    // An uncaught exception calls std::terminate, which aborts: SIGABRT (6), with the exception named on stderr.
    [ToolchainFact("cpp")]
    public Task Uncaught_exception_is_killed_by_SIGABRT() => AssertRuntimeErrorAsync("""
        #include <iostream>
        #include <stdexcept>
        int main() {
            std::cout << "before" << std::endl;
            throw std::runtime_error("boom from cpp");
        }
        """, "before\n", exitCode: null, signal: 6, "boom from cpp");

    [ToolchainFact("cpp")]
    public Task Type_error_is_a_compile_error() =>
        AssertCompileErrorAsync("#include <string>\nint main() { std::string s = 42.5; return 0; }\n", "error:");

    [ToolchainFact("cpp")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);

    [ToolchainFact("cpp")]
    public Task A_new_runner_finds_the_compiled_program_on_disk() => AssertCompileCacheSurvivesANewRunnerAsync(Printing);

    [ToolchainFact("cpp")]
    public Task Different_sources_do_not_share_a_cache_entry() => AssertDifferentSourcesDoNotShareCacheAsync(Printing);
}
