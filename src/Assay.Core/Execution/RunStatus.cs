namespace Assay.Core.Execution;

/// <summary>
/// How one sandboxed program (or one test of it) ended. A candidate's misbehaviour is always one of these
/// values, never an exception; <see cref="SandboxError"/> alone means Assay itself could not do the run.
/// </summary>
public enum RunStatus
{
    Ok,
    WrongAnswer,
    RuntimeError,
    TimeLimit,
    MemoryLimit,
    OutputLimit,
    CompileError,
    SandboxError,
}

public static class RunStatusNames
{
    /// <summary>The snake_case name used in every JSON contract (`time_limit`, `sandbox_error`, ...).</summary>
    public static string ToWireName(this RunStatus status) => status switch
    {
        RunStatus.Ok => "ok",
        RunStatus.WrongAnswer => "wrong_answer",
        RunStatus.RuntimeError => "runtime_error",
        RunStatus.TimeLimit => "time_limit",
        RunStatus.MemoryLimit => "memory_limit",
        RunStatus.OutputLimit => "output_limit",
        RunStatus.CompileError => "compile_error",
        RunStatus.SandboxError => "sandbox_error",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse(string wireName, out RunStatus status)
    {
        foreach (var candidate in Enum.GetValues<RunStatus>())
        {
            if (candidate.ToWireName() == wireName)
            {
                status = candidate;
                return true;
            }
        }
        status = default;
        return false;
    }
}
