using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class FortranToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "fortran")
{
    private static string Printing(string text) =>
        "program main\n  print '(A)', '" + text + "'\nend program main\n";

    [ToolchainFact("fortran")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync(Printing("hello"), "hello\n");

    [ToolchainFact("fortran")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        program main
          implicit none
          integer :: a, b, i, status
          character(len=1000) :: line
          read (*, *) a, b
          print '(I0)', a + b
          do
            read (*, '(A)', iostat=status) line
            if (status /= 0) exit
            do i = 1, len_trim(line)
              if (line(i:i) >= 'a' .and. line(i:i) <= 'z') line(i:i) = achar(iachar(line(i:i)) - 32)
            end do
            print '(A)', trim(line)
          end do
        end program main
        """);

    [ToolchainFact("fortran")]
    public Task Error_stop_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        program main
          implicit none
          print '(A)', 'before'
          flush (6)
          error stop 'boom from fortran'
        end program main
        """, "before\n", exitCode: 1, signal: null, "ERROR STOP boom from fortran");

    [ToolchainFact("fortran")]
    public Task Type_error_is_a_compile_error() => AssertCompileErrorAsync("""
        program main
          integer :: x
          x = "not a number"
        end program main
        """, "Cannot convert CHARACTER");

    [ToolchainFact("fortran")]
    public Task Second_run_of_the_same_source_uses_the_compile_cache() => AssertSecondRunUsesCompileCacheAsync(Printing);
}
