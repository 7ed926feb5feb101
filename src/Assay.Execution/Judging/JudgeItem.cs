namespace Assay.Execution.Judging;

/// <summary>One program to judge with Python assert tests (see python_harness.py for the semantics).</summary>
/// <param name="Id">Caller's identifier, unique within one call.</param>
/// <param name="Program">The candidate program (prompt + completion).</param>
/// <param name="Setup">Test code run after the program (defines `check`, imports helpers).</param>
/// <param name="Tests">Snippets; each is one test, passed when it raises nothing.</param>
/// <param name="EntryPoint">Function bound to `candidate` (results converted to plain data), if any.</param>
/// <param name="TimeLimitSeconds">CPU-time limit for each test and for defining the program.</param>
/// <param name="RebindEntryPoint">Also rebind the entry point's own name to the wrapped function.</param>
/// <param name="Calls">Instead of test snippets: argument lists (JSON arrays) to call the entry point with; each result is reported as plain data.</param>
/// <param name="CallLimits">Per-call CPU limits in seconds (default: <paramref name="TimeLimitSeconds"/>).</param>
/// <param name="TotalLimitSeconds">CPU budget for all calls together; 0 for none.</param>
/// <param name="KeepGoing">Calls: go on after a call that raised (execution matrices want every cell); otherwise the first failure ends the item.</param>
/// <param name="TaggedCalls">The call arguments use the harness's plain-data tags (tuples, sets, complex numbers).</param>
/// <param name="Method">The entry point is a class: each call goes to this method of a fresh instance.</param>
/// <param name="NotNone">Report only whether each call's result is not None.</param>
/// <param name="Matrix">Instead of tests or calls: an execution-matrix row, one outcome per column (calls report their value).</param>
/// <param name="MaxTimeouts">Matrix rows: columns that may time out before the rest are not run (0: no limit).</param>
/// <param name="LoadLimitSeconds">CPU-time limit for defining the program, imports included (0: <paramref name="TimeLimitSeconds"/>).</param>
public sealed record JudgeItem(string Id, string Program, string Setup, IReadOnlyList<string> Tests, string? EntryPoint, double TimeLimitSeconds,
    bool RebindEntryPoint = false, IReadOnlyList<string>? Calls = null, IReadOnlyList<double>? CallLimits = null, double TotalLimitSeconds = 0,
    bool TaggedCalls = false, string? Method = null, bool NotNone = false, bool KeepGoing = false, IReadOnlyList<JudgeColumn>? Matrix = null,
    int MaxTimeouts = 0, double LoadLimitSeconds = 0);

/// <summary>
/// One column of an execution-matrix row: a call of the entry point (<paramref name="Call"/>, a JSON array of
/// arguments; its value is reported) or an assertion (<paramref name="Assertion"/>, Python source calling the
/// entry point by name). <paramref name="Tagged"/>: the call's arguments use the harness's plain-data tags
/// (tuples, sets, bytes, big ints, complex numbers, dicts), decoded before the call.
/// </summary>
public sealed record JudgeColumn(string? Call, string? Assertion, bool Tagged = false)
{
    public static JudgeColumn ForCall(string arguments, bool tagged = false) => new(arguments, null, tagged);

    public static JudgeColumn ForAssertion(string source) => new(null, source);
}

/// <summary>How strictly candidates are kept apart.</summary>
public enum JudgeIsolation
{
    /// <summary>
    /// Many candidates per sandbox: the tests run in the harness's judge process, the candidates one after
    /// another in a worker process, which is replaced whenever a candidate times out, ends it, or leaves its
    /// interpreter changed, so verdicts equal those of <see cref="Strict"/>.
    /// </summary>
    Batch,

    /// <summary>Every candidate in a fresh sandbox (judge and worker) of its own.</summary>
    Strict,
}
