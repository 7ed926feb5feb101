using Assay.Core.Execution;
using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class ErlangToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "erlang")
{
    private static string Printing(string text) =>
        "-module(main).\n-export([main/0]).\n\nmain() ->\n    io:format(\"" + text + "~n\").\n";

    [ToolchainFact("erlang")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("erlang")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        -module(main).
        -export([main/0]).

        main() ->
            [A, B] = [list_to_integer(X) || X <- string:tokens(string:trim(io:get_line("")), " ")],
            io:format("~b~n", [A + B]),
            upper_case_lines().

        upper_case_lines() ->
            case io:get_line("") of
                eof -> ok;
                Line -> io:format("~s~n", [string:uppercase(string:trim(Line, trailing, "\n"))]), upper_case_lines()
            end.
        """);

    // An uncaught error stops the node with status 1; erl reports it ("init terminating in do_boot") on both
    // stdout and stderr, so stdout holds what the program printed followed by that report.
    [ToolchainFact("erlang")]
    public async Task Uncaught_error_is_a_runtime_error()
    {
        var report = await Sandbox.RunAsync(Language, """
            -module(main).
            -export([main/0]).

            main() ->
                io:format("before~n"),
                Zero = length(init:get_plain_arguments()),
                io:format("~p~n", [1 div Zero]).
            """);
        Assert.Equal(RunStatus.RuntimeError, report.Status);
        Assert.Equal(1, report.Run.ExitCode);
        // Not asserted: "before" on stdout. The VM halts on a boot error without waiting for the io server, so
        // the line is lost about one run in six (measured 2026-12-03, on revisions before and after issue 10).
        Assert.Contains("badarith", report.Run.Stderr, StringComparison.Ordinal);
        Assert.Contains("init terminating in do_boot", report.Run.Stderr, StringComparison.Ordinal);
    }

    [ToolchainFact("erlang")]
    public Task Syntax_error_is_a_compile_error() => AssertCompileErrorAsync("""
        -module(main).
        -export([main/0]).

        main() -> X = 1 +, X.
        """, "syntax error before");

    [ToolchainFact("erlang")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);
}
