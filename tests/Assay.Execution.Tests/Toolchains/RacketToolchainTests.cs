using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class RacketToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "racket")
{
    [ToolchainFact("racket")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("#lang racket/base\n(displayln \"hello\")\n", "hello\n");

    [ToolchainFact("racket")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        #lang racket
        (define lines (port->lines (current-input-port)))
        (displayln (apply + (map string->number (string-split (first lines)))))
        (for ([line (rest lines)]) (displayln (string-upcase line)))
        """);

    [ToolchainFact("racket")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        #lang racket/base
        (displayln "before")
        (displayln (/ 1 (- (string-length "x") 1)))
        """, "before\n", exitCode: 1, signal: null, "/: division by zero");

    // A module is read whole before it runs: nothing is printed.
    [ToolchainFact("racket")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("""
        #lang racket/base
        (displayln "before")
        (define (broken x)
        """, exitCode: 1, "read-syntax");

    // Debian's compiled standard library is found through /etc/racket/config.rktd, which the toolchain mounts:
    // without it every start compiles `racket/base` from source, over two seconds of CPU instead of a fraction of one.
    [ToolchainFact("racket")]
    public async Task Starts_from_the_compiled_standard_library()
    {
        var report = await AssertRunsOkAsync("#lang racket/base\n(displayln \"hello\")\n", "hello\n");
        Assert.True(report.Run.CpuTimeMs < 1500, $"racket/base took {report.Run.CpuTimeMs} ms of CPU to start: is /etc/racket mounted?");
    }
}
