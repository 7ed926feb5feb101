using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class ElixirToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "elixir")
{
    [ToolchainFact("elixir")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("IO.puts(\"hello\")\n", "hello\n");

    [ToolchainFact("elixir")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        [first | rest] = IO.read(:stdio, :eof) |> String.split("\n", trim: true)
        first |> String.split() |> Enum.map(&String.to_integer/1) |> Enum.sum() |> IO.puts()
        Enum.each(rest, &IO.puts(String.upcase(&1)))
        """);

    [ToolchainFact("elixir")]
    public Task Arithmetic_error_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        IO.puts("before")
        zero = length(System.argv())
        IO.puts(div(1, zero))
        """, "before\n", exitCode: 1, signal: null, "ArithmeticError");

    // A script is compiled whole before it runs: nothing is printed.
    [ToolchainFact("elixir")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("""
        IO.puts("before")
        defmodule Broken do
        """, exitCode: 1, "TokenMissingError");
}
