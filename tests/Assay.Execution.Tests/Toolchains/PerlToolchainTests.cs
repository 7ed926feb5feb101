using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class PerlToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "perl")
{
    [ToolchainFact("perl")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("print \"hello\\n\";\n", "hello\n");

    [ToolchainFact("perl")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        my $first = <STDIN>;
        my ($a, $b) = split ' ', $first;
        print $a + $b, "\n";
        while (my $line = <STDIN>) { print uc $line; }
        """);

    // `die` (here from the division) ends perl with status 255 and the message on stderr.
    [ToolchainFact("perl")]
    public Task Division_by_zero_dies() => AssertRuntimeErrorAsync("""
        print "before\n";
        my $zero = 0;
        print 1 / $zero, "\n";
        """, "before\n", exitCode: 255, signal: null, "Illegal division by zero");

    // Perl compiles the whole file before running any of it: nothing is printed.
    [ToolchainFact("perl")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("""
        print "before\n";
        sub broken {
        """, exitCode: 255, "syntax error");

    // MultiPL-E's Perl tests compare with Test::Deep, MBXP's with Data::Compare (Debian's libtest-deep-perl and
    // libdata-compare-perl, installed by scripts/setup.sh).
    [ToolchainFact("perl")]
    public Task The_benchmark_test_modules_load() => AssertRunsOkAsync("""
        use Test::Deep;
        use Data::Compare;
        print eq_deeply([1, {a => 2}], [1, {a => 2}]) ? "deep\n" : "differ\n";
        print Compare([1, 2], [1, 3]) ? "same\n" : "different\n";
        """, "deep\ndifferent\n");
}
