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
/// <param name="Expected">Expected outputs given by the dataset (APPS call-based problems), as plain JSON values,
/// one per input; null when they come from running the reference solution.</param>
/// <param name="Oracle">How an output is judged against the expected one (EvalPlus's special oracles, APPS's rule).</param>
/// <param name="TaggedInputs">The inputs use Assay's plain-data tags (`{"tuple": [...]}`, `{"set": [...]}`,
/// `{"complex": [re, im]}`, `{"dict": [[k, v], ...]}`) for values JSON cannot express (EvalPlus's per-task
/// deserialisation of MBPP+ inputs).</param>
/// <param name="Method">When set, <see cref="Problem.EntryPoint"/> names a class: each call is
/// `EntryPoint().Method(*args)` on a fresh instance (LeetCode-style `class Solution`).</param>
/// <param name="HarnessFloorSeconds">The smallest per-test limit of the harness whose verdicts these tests reproduce
/// (EvalPlus: 4 s, its `--min-time-limit`): a sample asymptotically slower than the reference on a large input passes
/// there, so a calibrated limit must not be smaller. Null: Assay's own floor.</param>
public sealed record IoFunctionJudge(IReadOnlyList<string> Inputs, int BaseCount, double Atol, IReadOnlyList<string>? Expected = null,
    IoOracle Oracle = IoOracle.Equal, bool TaggedInputs = false, string? Method = null, double? HarnessFloorSeconds = null) : JudgeSpec;

/// <summary>How one output of an input/output test is judged.</summary>
public enum IoOracle
{
    /// <summary>Equal as plain data, floats within the problem's tolerance (EvalPlus's rule).</summary>
    Equal,

    /// <summary>Equal as sets of elements (EvalPlus: MBPP tasks whose order of results is arbitrary).</summary>
    SetEqual,

    /// <summary>Only whether the result is None matters (EvalPlus: MBPP tasks returning `re.Match` objects).</summary>
    NotNone,

    /// <summary>Any result passes, as long as the call returns (EvalPlus: Mbpp/164).</summary>
    AnyResult,

    /// <summary>Equal, or the result is 0 (EvalPlus: Mbpp/295).</summary>
    EqualOrZero,

    /// <summary>The result is a root of the polynomial given as the first argument, within the tolerance (HumanEval/32 `find_zero`).</summary>
    PolynomialRoot,

    /// <summary>
    /// APPS's call-based rule: equal after turning tuples into lists, or equal to the only element of a
    /// one-element expected list (APPS stores many expected values wrapped in a list).
    /// </summary>
    Apps,

    /// <summary>LiveCodeBench's functional rule: equal exactly (no float tolerance) after turning tuples into lists.</summary>
    ExactListsForTuples,
}

/// <summary>
/// Tests as a program in the candidate's own language (HumanEval-X, MultiPL-E, MBXP): the candidate program
/// followed by <see cref="TestProgram"/> is compiled and run as one program; it passes when it exits with
/// status 0 having run the tests to their end (the judge guards against a candidate that exits early).
/// </summary>
/// <param name="AutoImports">Go: add the standard-library imports the program uses and blank the unused ones
/// before compiling, as HumanEval-X's harness does.</param>
/// <param name="StopTokens">Where a completion for this problem ends (MultiPL-E's `stop_tokens`): a completion is
/// cut at the first of them.</param>
/// <param name="MemoryLimitKb">The program's memory limit, when the caller sets one; otherwise the toolchain's.</param>
public sealed record ProgramTestJudge(string TestProgram, bool AutoImports = false, IReadOnlyList<string>? StopTokens = null,
    long? MemoryLimitKb = null) : JudgeSpec;

/// <summary>
/// Standard-input/standard-output tests (APPS, LiveCodeBench, competitive programming): the program runs once per
/// test with the test's input on stdin; its stdout must match the expected output under <see cref="Match"/>.
/// </summary>
/// <param name="Tests">The tests, public ones (shown in the problem statement) marked.</param>
/// <param name="Match">How output is compared with the expected output.</param>
/// <param name="TimeLimitSeconds">The problem's own per-test limit, when the dataset gives one.</param>
/// <param name="Tolerance">For <see cref="OutputMatch.Numeric"/>: numbers match when they differ by at most this,
/// absolutely or relative to the expected number (0: equal as exact decimals, so 1.0 matches 1.00).</param>
/// <param name="Checker">For <see cref="OutputMatch.Checker"/>: the program that decides each test.</param>
/// <param name="RunAllTests">Run every test even after one failed, so that every test's outcome is known (rewards
/// that count passed tests need them); by default judging stops at the first failing test.</param>
/// <param name="MemoryLimitKb">The per-test memory limit, when the problem (or the caller) sets one; otherwise the
/// toolchain's.</param>
public sealed record StdioJudge(IReadOnlyList<StdioTest> Tests, OutputMatch Match, double? TimeLimitSeconds = null, double Tolerance = 0,
    OutputChecker? Checker = null, bool RunAllTests = false, long? MemoryLimitKb = null) : JudgeSpec;

/// <summary>One stdin/stdout test.</summary>
/// <param name="Alternatives">Further accepted outputs besides <paramref name="ExpectedOutput"/> (datasets that list
/// several correct answers); null or empty when only one is accepted.</param>
public sealed record StdioTest(string Input, string ExpectedOutput, bool IsPublic = false, IReadOnlyList<string>? Alternatives = null);

/// <summary>
/// A problem's own output checker, for problems with many correct answers: it runs in the sandbox with the
/// files `input.txt`, `expected.txt` and `output.txt` in its working directory and accepts the output by
/// exiting with status 0, rejects it with status 1; anything else is a fault of the checker, not of the program.
/// </summary>
/// <param name="Language">Toolchain name of the checker.</param>
/// <param name="Source">The checker's source code.</param>
public sealed record OutputChecker(string Language, string Source);

/// <summary>How a program's standard output is compared with the expected output.</summary>
public enum OutputMatch
{
    /// <summary>Byte-for-byte, after normalising line endings and trailing whitespace at the end of the output.</summary>
    Exact,

    /// <summary>Equal sequences of whitespace-separated tokens (the usual competitive-programming rule).</summary>
    Tokens,

    /// <summary>Tokens, with numeric tokens equal within <see cref="StdioJudge.Tolerance"/>.</summary>
    Numeric,

    /// <summary>The problem's <see cref="OutputChecker"/> decides.</summary>
    Checker,

    /// <summary>
    /// verl's SandboxFusion scorer: equal strings once trailing `\n` characters are removed from both, and nothing
    /// else (a `\r`, a trailing space or a leading blank line makes them differ).
    /// </summary>
    ExactUpToTrailingNewlines,

    /// <summary>
    /// NeMo-RL's code environment: equal once both are stripped of surrounding whitespace, the output read as
    /// Python's text mode reads it (`\r\n` and `\r` become `\n`).
    /// </summary>
    StrippedEqual,

    /// <summary>
    /// open-r1's `code_reward`: the stripped output and the expected output split into lines, and the pairs that
    /// `zip` makes must be equal once each line is stripped; lines past the shorter of the two are not compared.
    /// </summary>
    StrippedLinePrefix,

    /// <summary>
    /// rllm/DeepCoder's TACO rule (APPS's `testing_util` with DeepCoder's changes): a cascade of lenient checks
    /// (stripped text; same lines and tokens, numbers within numpy's `isclose`; then list, float and set forms).
    /// The output is judged whatever the exit status, as there; only a time-out fails a test without a look.
    /// </summary>
    TacoLenient,
}
