namespace Assay.Core.Problems;

/// <summary>
/// One benchmark problem in Assay's single internal model: every loader produces this, and nothing after the
/// loaders knows which benchmark a problem came from.
/// </summary>
/// <param name="TaskId">The benchmark's identifier (`HumanEval/0`, `Mbpp/2`, ...).</param>
/// <param name="Language">Toolchain name the problem's programs are written in.</param>
/// <param name="Prompt">Text a completion is appended to (function signature and docstring).</param>
/// <param name="EntryPoint">The function under test, when the tests call one.</param>
/// <param name="CanonicalSolution">The reference completion (appended to the prompt), when the dataset has one.</param>
/// <param name="Judge">How a program for this problem is judged.</param>
public sealed record Problem(string TaskId, string Language, string Prompt, string? EntryPoint, string? CanonicalSolution, JudgeSpec Judge);

/// <summary>How a problem's programs are judged: one of Assay's judging modes.</summary>
public abstract record JudgeSpec;

/// <summary>
/// Tests in the program's own language, for Python: <see cref="Setup"/> runs after the program (HumanEval's
/// `check` definition, MBPP's setup code), then each test snippet runs; a snippet passes when it raises nothing.
/// The entry point is bound to `candidate`, wrapped so that its results are plain data; with
/// <paramref name="RebindEntryPoint"/> the entry point's own name is rebound to the wrapped function too, for
/// tests that call it by name (MBPP's asserts).
/// </summary>
public sealed record PythonAssertJudge(string Setup, IReadOnlyList<string> Tests, bool RebindEntryPoint = false) : JudgeSpec;

/// <summary>
/// Input/expected-output pairs for a function (EvalPlus): each input is a JSON array of arguments; the expected
/// output is what the reference solution returns for it. Outputs are compared outside the candidate's process,
/// floats within <paramref name="Atol"/>. The first <paramref name="BaseCount"/> inputs are the base tests, the
/// rest the plus tests; passing means passing both.
/// </summary>
public sealed record IoFunctionJudge(IReadOnlyList<string> Inputs, int BaseCount, double Atol) : JudgeSpec;

/// <summary>
/// Tests as a program in the candidate's own language (HumanEval-X, MultiPL-E, MBXP): the candidate program
/// followed by <see cref="TestProgram"/> is compiled and run as one program; it passes when it exits with
/// status 0 having run the tests to their end (the judge guards against a candidate that exits early).
/// </summary>
/// <param name="AutoImports">Go: add the standard-library imports the program uses and blank the unused ones
/// before compiling, as HumanEval-X's harness does.</param>
/// <param name="StopTokens">Where a completion for this problem ends (MultiPL-E's `stop_tokens`): a completion is
/// cut at the first of them.</param>
public sealed record ProgramTestJudge(string TestProgram, bool AutoImports = false, IReadOnlyList<string>? StopTokens = null) : JudgeSpec;

/// <summary>
/// Standard-input/standard-output tests (APPS, LiveCodeBench, competitive programming): the program runs once per
/// test with the test's input on stdin; its stdout must match the expected output under <see cref="Match"/>.
/// </summary>
/// <param name="Tests">The tests, public ones (shown in the problem statement) marked.</param>
/// <param name="Match">How output is compared with the expected output.</param>
/// <param name="TimeLimitSeconds">The problem's own per-test limit, when the dataset gives one.</param>
public sealed record StdioJudge(IReadOnlyList<StdioTest> Tests, OutputMatch Match, double? TimeLimitSeconds = null) : JudgeSpec;

/// <summary>One stdin/stdout test.</summary>
public sealed record StdioTest(string Input, string ExpectedOutput, bool IsPublic = false);

/// <summary>How a program's standard output is compared with the expected output.</summary>
public enum OutputMatch
{
    /// <summary>Byte-for-byte, after normalising line endings and trailing whitespace at the end of the output.</summary>
    Exact,

    /// <summary>Equal sequences of whitespace-separated tokens (the usual competitive-programming rule).</summary>
    Tokens,

    /// <summary>Tokens, with numeric tokens equal within a relative/absolute tolerance.</summary>
    Numeric,
}
