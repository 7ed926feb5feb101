using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Ranking;
using Assay.Evaluation.Pipeline;
using Assay.Execution.Judging;

namespace Assay.Evaluation.Matrix;

/// <summary>Which matrix to build.</summary>
public enum MatrixKind
{
    /// <summary>Generated assertions: each cell pass / fail / error / timeout (CodeT, B4).</summary>
    Assertions,

    /// <summary>Generated inputs without expected outputs: each cell the returned value (MBR-exec, clustering, majority vote).</summary>
    Outputs,
}

/// <summary>One problem's distinct candidates and distinct generated tests (or inputs), the matrix's rows and columns.</summary>
/// <param name="Programs">Distinct candidate programs, in order of first appearance.</param>
/// <param name="CodeMultiplicity">Raw samples per program.</param>
/// <param name="Columns">Assertions (<see cref="MatrixKind.Assertions"/>) or JSON argument lists (<see cref="MatrixKind.Outputs"/>).</param>
/// <param name="ColumnMultiplicity">Generated test samples per column (1 for inputs).</param>
/// <param name="Calls">Assertions: per column, the call and expected value when the assertion is exactly
/// `assert ENTRY(literals) == literal` (judged as a call, its value compared outside the sandbox), else null.
/// Outputs: per column, the call (whether its arguments are tagged); without it a column is a plain JSON array.</param>
public sealed record MatrixProblem(string TaskId, string EntryPoint, IReadOnlyList<string> Programs, IReadOnlyList<int> CodeMultiplicity,
    IReadOnlyList<string> Columns, IReadOnlyList<int> ColumnMultiplicity, IReadOnlyList<ColumnCall?>? Calls = null);

/// <summary>A column judged as a call: the arguments (a JSON array) and, for an assertion, the expected value (plain-data JSON).</summary>
/// <param name="Tagged">The arguments are in the harness's plain-data tags (tuples, sets, bytes, ...), which the harness
/// decodes before calling; otherwise they are plain JSON, as every call column was before tags were allowed.</param>
public sealed record ColumnCall(string Arguments, string? Expected, bool Tagged = false);

/// <summary>How the matrix is judged.</summary>
public sealed record MatrixOptions
{
    /// <summary>CodeT's per-test limit (its evaluator's default).</summary>
    public const double CodeTTimeLimitSeconds = 0.1;

    /// <summary>
    /// CPU-time limit per cell (one assertion or one call): CodeT's 0.1 s by default. CodeT's limit is wall-clock
    /// time, which flakes on a busy machine; a CPU limit does not.
    /// </summary>
    public double TimeLimitSeconds { get; init; } = CodeTTimeLimitSeconds;

    /// <summary>CPU-time limit for defining a candidate: the one rule, <see cref="TimeLimitPolicy.LoadLimitSeconds"/>.</summary>
    public double LoadLimitSeconds => TimeLimitPolicy.LoadLimitSeconds(TimeLimitSeconds);

    /// <summary>
    /// Timeouts one candidate may have before its remaining cells are left <see cref="CellOutcome.NotRun"/>
    /// (a program that loops on everything would otherwise cost a full limit per test). CodeT's evaluator had
    /// the same effect with its whole-program timeout.
    /// </summary>
    public int MaxTimeoutsPerCandidate { get; init; } = 3;

    public JudgeIsolation Isolation { get; init; } = JudgeIsolation.Batch;
}

/// <summary>The built matrices and what building them cost.</summary>
/// <param name="SandboxCpu">CPU time of the sandboxes that judged this build's rows (harness and candidates together).</param>
/// <param name="Failures">Candidates the sandbox could not judge (infrastructure, never the candidate): task id and reason. Not stored.</param>
public sealed record MatrixBuild(IReadOnlyDictionary<string, ExecutionMatrix> Matrices, int Candidates, int JudgedNow, int FromStore, TimeSpan SandboxCpu,
    IReadOnlyList<string> Failures, TimeSpan Elapsed);

/// <summary>Sandbox or harness trouble while building a matrix: an Assay fault, never a candidate's verdict.</summary>
public sealed class MatrixInfrastructureException(string message) : Exception(message);

/// <summary>
/// Builds execution matrices with the batch judge: one judge item per distinct candidate carrying all of its
/// problem's distinct generated tests (or inputs), many candidates per sandbox. Columns that are calls — every
/// input, and every assertion of the form `assert ENTRY(literals) == literal` — come back as plain data and are
/// compared with the expected literal here, outside the sandbox; the other assertions run in the harness's
/// judge process, against results of the calls made in advance in the same request (python_harness.py,
/// matrix rows). The harness stops a row after its allowance of timeouts. Each row is stored under a
/// "matrix-v2" key (program, columns, limits, harness version), so a re-run, or another ranking method on the
/// same matrix kind, judges nothing again.
/// </summary>
public sealed class MatrixBuilder
{
    private readonly PythonJudge _judge;
    private readonly IVerdictStore _store;
    private readonly MatrixOptions _options;

    public MatrixBuilder(PythonJudge judge, IVerdictStore store, MatrixOptions options)
    {
        _judge = judge;
        _store = store;
        _options = options;
    }

    public async Task<MatrixBuild> BuildAsync(IReadOnlyList<MatrixProblem> problems, MatrixKind kind, IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var clock = Stopwatch.StartNew();
        var cpuBefore = _judge.SandboxCpuTime;
        var rows = new List<Row>();
        foreach (var problem in problems)
        {
            if (problem.Columns.Count == 0) continue;
            var columns = Columns(problem, kind);
            for (var i = 0; i < problem.Programs.Count; i++) rows.Add(new Row(problem, i, columns, KeyFor(problem, i, kind, columns)));
        }

        var done = 0;
        var fromStore = 0;
        // The pipeline's one path: distinct keys, the store, the judge for what is missing, only storable rows stored.
        var flow = await VerdictFlow.RunAsync<ProgramVerdict>(_store, rows, async (todo, onVerdict, ct) =>
            {
                var byId = todo.ToDictionary(r => r.Key, StringComparer.Ordinal);
                var items = todo.Cast<Row>().Select(r => new JudgeItem(r.Key, r.Problem.Programs[r.Index], "", [], r.Problem.EntryPoint,
                    _options.TimeLimitSeconds, Matrix: r.Columns, MaxTimeouts: _options.MaxTimeoutsPerCandidate,
                    LoadLimitSeconds: _options.LoadLimitSeconds)).ToList();
                // Up to 400 rows per sandbox (fewer sandbox starts than the judge's default of 100; the batches shrink towards the end).
                await _judge.JudgeAsync(items, _options.Isolation, 400, async (id, verdict) => await onVerdict(byId[id], verdict), ct);
            },
            (_, verdict) => Settle(verdict),
            (_, _, stored) =>
            {
                if (stored) Interlocked.Increment(ref fromStore);
                progress?.Report(new EvaluationProgress(Interlocked.Increment(ref done), rows.Count, Volatile.Read(ref fromStore)));
            }, cancellationToken);
        foreach (var row in rows) row.Final = flow.Verdicts[row.Key];
        // Sandbox trouble is an infrastructure fault, never a candidate's verdict (and never stored).
        var failures = rows.Where(r => r.Final!.Status == RunStatus.SandboxError).Select(r => $"{r.Problem.TaskId}: {r.Final!.Error}").ToList();

        var matrices = new Dictionary<string, ExecutionMatrix>(StringComparer.Ordinal);
        var byProblem = rows.ToLookup(r => r.Problem);
        // Candidates mostly return the same few values: each distinct output is made a key once.
        var keys = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var problem in problems) matrices[problem.TaskId] = ToMatrix(problem, byProblem[problem].ToList(), kind, keys);
        return new MatrixBuild(matrices, problems.Sum(p => p.Programs.Count), flow.JudgedNow, flow.FromStore.Count, _judge.SandboxCpuTime - cpuBefore,
            failures, clock.Elapsed);
    }

    /// <summary>What the harness gets per column: the call's arguments, or the assertion's source.</summary>
    private static IReadOnlyList<JudgeColumn> Columns(MatrixProblem problem, MatrixKind kind) =>
        Enumerable.Range(0, problem.Columns.Count).Select(j => problem.Calls?[j] is { } call
                ? JudgeColumn.ForCall(call.Arguments, call.Tagged)
                : kind == MatrixKind.Outputs ? JudgeColumn.ForCall(problem.Columns[j]) : JudgeColumn.ForAssertion(problem.Columns[j]))
            .ToList();

    /// <summary>A row's verdict as stored: the harness's, with "could not load" made explicit.</summary>
    private static ProgramVerdict Settle(ProgramVerdict verdict)
    {
        if (verdict.Status == RunStatus.SandboxError) return verdict;
        // No outcomes with status Ok: the harness reported nothing per column, which only a load failure explains.
        if (verdict.Tests.Count == 0 && verdict.Status == RunStatus.Ok) return verdict with { Status = RunStatus.RuntimeError, Error = "no test outcomes" };
        // Fewer outcomes than columns with status Ok: the rest were not run (CellOutcome.NotRun), the timeout allowance
        // being used up. Otherwise the program could not be defined and every cell gets that status.
        return verdict;
    }

    private string KeyFor(MatrixProblem problem, int index, MatrixKind kind, IReadOnlyList<JudgeColumn> columns)
    {
        var key = new StringBuilder()
            .Append("matrix-v2\0").Append(kind == MatrixKind.Assertions ? "assert" : "output").Append('\0')
            .Append(_judge.Fingerprint).Append('\0')
            .Append(problem.Programs[index]).Append('\0').Append(problem.EntryPoint).Append('\0')
            // Plain JSON calls keep the "c" they always had (their keys did not change when tags were allowed).
            .AppendJoin('\u0001', columns.Select(c => c.Call is { } call ? (c.Tagged ? "t" : "c") + call : "a" + c.Assertion)).Append('\0')
            .Append(_options.TimeLimitSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\0')
            .Append(_options.MaxTimeoutsPerCandidate.ToString(CultureInfo.InvariantCulture));
        return "matrix-v2:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..40];
    }

    /// <summary>Cells from the stored rows: outcomes in column order; after them, the load failure's status or "not run".</summary>
    private static ExecutionMatrix ToMatrix(MatrixProblem problem, IReadOnlyList<Row> rows, MatrixKind kind, Dictionary<string, string?> keys)
    {
        var m = problem.Columns.Count;
        var cells = new CellOutcome[problem.Programs.Count, m];
        var outputs = kind == MatrixKind.Outputs ? new string?[problem.Programs.Count, m] : null;
        var expected = kind == MatrixKind.Assertions
            ? Enumerable.Range(0, m).Select(j => problem.Calls?[j] is { } call ? OutputKey.Of(call.Expected!) : null).ToArray()
            : null;
        foreach (var row in rows)
        {
            var verdict = row.Final!;
            var i = row.Index;
            for (var j = 0; j < m; j++)
            {
                if (j >= verdict.Tests.Count)
                {
                    cells[i, j] = verdict.Status switch
                    {
                        RunStatus.Ok => CellOutcome.NotRun,
                        RunStatus.TimeLimit => CellOutcome.Timeout,
                        _ => CellOutcome.Error,
                    };
                    continue;
                }
                var test = verdict.Tests[j];
                cells[i, j] = Cell(test);
                var isCall = kind == MatrixKind.Outputs || expected![j] is not null;
                if (!test.Passed || !isCall) continue;
                // A returned object that is not plain data equals nothing: an error for outputs, a failure for an assertion.
                string? key = null;
                if (test.Output is { } json && !keys.TryGetValue(json, out key)) keys[json] = key = OutputKey.Of(json);
                if (outputs is not null)
                {
                    outputs[i, j] = key;
                    if (key is null) cells[i, j] = CellOutcome.Error;
                }
                else
                {
                    cells[i, j] = key is not null && key == expected![j] ? CellOutcome.Pass : CellOutcome.Fail;
                }
            }
        }
        return new ExecutionMatrix(problem.TaskId, problem.CodeMultiplicity, problem.ColumnMultiplicity, cells, outputs);
    }

    private static CellOutcome Cell(TestOutcome test) => test.Passed
        ? CellOutcome.Pass
        : test.Status switch
        {
            RunStatus.WrongAnswer => CellOutcome.Fail,
            RunStatus.TimeLimit => CellOutcome.Timeout,
            _ => CellOutcome.Error,
        };

    /// <summary>One distinct candidate of a problem: its judge item's columns, key and verdict.</summary>
    private sealed record Row(MatrixProblem Problem, int Index, IReadOnlyList<JudgeColumn> Columns, string RowKey) : PlannedWork(RowKey)
    {
        public ProgramVerdict? Final { get; set; }
    }
}
