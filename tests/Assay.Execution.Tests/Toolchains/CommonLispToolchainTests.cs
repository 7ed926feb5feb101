using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests.Toolchains;

[Collection(SandboxCollection.Name)]
public sealed class CommonLispToolchainTests(SandboxFixture sandbox) : ToolchainTestBase(sandbox, "commonlisp")
{
    [ToolchainFact("commonlisp")]
    public Task Hello_world_prints_exactly_hello() => AssertRunsOkAsync("(format t \"hello~%\")\n", "hello\n");

    [ToolchainFact("commonlisp")]
    public Task Reads_all_of_stdin() => AssertEchoesStdinAsync("""
        (let* ((first (read-line))
               (space (position #\Space first)))
          (format t "~a~%" (+ (parse-integer first :end space) (parse-integer first :start (1+ space))))
          (loop for line = (read-line *standard-input* nil)
                while line
                do (format t "~a~%" (string-upcase line))))
        """);

    // Under --script an unhandled condition prints a backtrace and ends SBCL with status 1 (no debugger).
    [ToolchainFact("commonlisp")]
    public Task Division_by_zero_is_a_runtime_error() => AssertRuntimeErrorAsync("""
        (format t "before~%")
        (finish-output)
        (print (/ 1 (- (length "x") 1)))
        """, "before\n", exitCode: 1, signal: null, "DIVISION-BY-ZERO");

    // A script is read and evaluated one form at a time: the form before the unfinished one runs.
    [ToolchainFact("commonlisp")]
    public Task Syntax_error_is_reported_by_the_interpreter() =>
        AssertSyntaxErrorAsync("""
        (format t "before~%")
        (defun broken (x)
        """, exitCode: 1, "READ error during LOAD", "before\n");
}
