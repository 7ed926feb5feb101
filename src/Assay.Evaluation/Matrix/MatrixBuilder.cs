using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Core.Ranking;
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
public sealed record MatrixProblem(string TaskId, string EntryPoint, IReadOnlyList<string> Programs, IReadOnlyList<int> CodeMultiplicity,
    IReadOnlyList<string> Columns, IReadOnlyList<int> ColumnMultiplicity);

/// <summary>How the matrix is judged.</summary>
public sealed record MatrixOptions
{
    /// <summary>
    /// CPU-time limit per cell (one assertion or one call), and for defining the program. CodeT used 0.1 s of
    /// wall-clock time per test; a CPU limit does not flake on a busy machine, and 1 s is far above what any
    /// HumanEval-sized generated test needs.
    /// </summary>
    public double TimeLimitSeconds { get; init; } = 1.0;

    /// <summary>
    /// Timeouts one candidate may have before its remaining cells are left <see cref="CellOutcome.NotRun"/>
    /// (a program that loops on everything would otherwise cost a full limit per test). CodeT's evaluator had
    /// the same effect with its whole-program timeout.
    /// </summary>
    public int MaxTimeoutsPerCandidate { get; init; } = 3;

    public JudgeIsolation Isolation { get; init; } = JudgeIsolation.Batch;
}

/// <summary>The built matrices and what building them cost.</summary>
/// <param name="Failures">Candidates the sandbox could not judge (infrastructure, never the candidate): task id and reason. Not stored.</param>
public sealed record MatrixBuild(IReadOnlyDictionary<string, ExecutionMatrix> Matrices, int Candidates, int JudgedNow, int FromStore, int Rounds,
    IReadOnlyList<string> Failures, TimeSpan Elapsed);

/// <summary>Sandbox or harness trouble while building a matrix: an Assay fault, never a candidate's verdict.</summary>
public sealed class MatrixInfrastructureException(string message) : Exception(message);

/// <summary>
/// Builds execution matrices with the batch judge: one judge item per distinct candidate carrying all of its
/// problem's distinct generated tests (or inputs), many candidates per sandbox. The harness stops an item at
/// its first timeout (and, for calls, at its first error), so an item that stopped early is continued in a
/// later round from the next column, until every column has a cell or the candidate has used up its
/// allowance of timeouts. Each finished row is stored under a "matrix-v1" key (program, columns, limits,
/// harness version), so a re-run, or another ranking method on the same matrix kind, judges nothing again.
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
        var rows = new List<Row>();
        foreach (var problem in problems)
            for (var i = 0; i < problem.Programs.Count; i++) rows.Add(new Row(problem, i, KeyFor(problem, i, kind)));

        var stored = await _store.GetManyAsync(rows.Select(r => r.Key).ToList(), cancellationToken);
        var fromStore = 0;
        foreach (var row in rows)
        {
            if (!stored.TryGetValue(row.Key, out var verdict)) continue;
            row.Final = verdict;
            fromStore++;
        }
        var done = fromStore;
        progress?.Report(new EvaluationProgress(done, rows.Count, fromStore));

        var failures = new ConcurrentBag<string>();
        var pending = rows.Where(r => r.Final is null && r.Problem.Columns.Count > 0).ToList();
        foreach (var row in rows.Where(r => r.Final is null && r.Problem.Columns.Count == 0)) row.Final = new ProgramVerdict { Status = RunStatus.Ok };
        var judgedNow = pending.Count;
        var rounds = 0;
        while (pending.Count > 0)
        {
            rounds++;
            var byId = new Dictionary<string, Row>(StringComparer.Ordinal);
            var items = new List<JudgeItem>(pending.Count);
            foreach (var row in pending)
            {
                var item = ItemFor(row, kind);
                byId[item.Id] = row;
                items.Add(item);
            }
            var next = new ConcurrentBag<Row>();
            await _judge.JudgeAsync(items, _options.Isolation, (id, verdict) =>
            {
                var row = byId[id];
                if (Advance(row, verdict, failures)) next.Add(row);
                else
                {
                    // Infrastructure faults are not remembered: the next run tries again.
                    if (row.Final is { Status: not RunStatus.SandboxError } final) _store.Put(row.Key, final);
                    progress?.Report(new EvaluationProgress(Interlocked.Increment(ref done), rows.Count, fromStore));
                }
                return Task.CompletedTask;
            }, cancellationToken);
            // Rows the judge never answered for are an infrastructure fault, not a verdict.
            foreach (var row in pending.Where(r => r.Final is null && !next.Contains(r)))
            {
                failures.Add($"{row.Problem.TaskId}: the judge returned no verdict");
                row.Final = new ProgramVerdict { Status = RunStatus.SandboxError, Error = "no verdict" };
            }
            pending = next.OrderBy(r => r.Order).ToList();
        }
        await _store.FlushAsync(cancellationToken);

        var matrices = new Dictionary<string, ExecutionMatrix>(StringComparer.Ordinal);
        foreach (var group in rows.GroupBy(r => r.Problem))
            matrices[group.Key.TaskId] = ToMatrix(group.Key, group.OrderBy(r => r.Index).Select(r => r.Final!).ToList(), kind);
        return new MatrixBuild(matrices, rows.Count, judgedNow, fromStore, rounds, failures.ToList(), clock.Elapsed);
    }

    /// <summary>Takes one item's verdict into its row; true when the row needs another round.</summary>
    private bool Advance(Row row, ProgramVerdict verdict, ConcurrentBag<string> failures)
    {
        if (verdict.Status == RunStatus.SandboxError)
        {
            failures.Add($"{row.Problem.TaskId}: {verdict.Error}");
            row.Final = verdict;
            return false;
        }
        var total = row.Problem.Columns.Count;
        if (verdict.Tests.Count == 0 && verdict.Status != RunStatus.Ok)
        {
            // The program could not even be defined (syntax error, exception or timeout at load, no entry point).
            row.Final = verdict with { Tests = row.Outcomes.ToList() };
            return false;
        }
        row.Outcomes.AddRange(verdict.Tests.Take(total - row.Start));
        if (row.Outcomes.Count >= total)
        {
            row.Final = new ProgramVerdict { Status = RunStatus.Ok, Tests = row.Outcomes.ToList(), CpuTimeMs = row.CpuMs + verdict.CpuTimeMs, Isolated = verdict.Isolated };
            return false;
        }
        row.CpuMs += verdict.CpuTimeMs;
        var last = verdict.Tests[^1];
        if (!last.Passed && last.Status is RunStatus.TimeLimit or RunStatus.MemoryLimit || (last.Error?.Contains("ended before", StringComparison.Ordinal) ?? false))
        {
            row.Timeouts++;
            if (row.Timeouts >= _options.MaxTimeoutsPerCandidate)
            {
                // Status Ok with fewer outcomes than columns: the rest were not run (CellOutcome.NotRun).
                row.Final = new ProgramVerdict { Status = RunStatus.Ok, Tests = row.Outcomes.ToList(), CpuTimeMs = row.CpuMs, Error = "timeout allowance used up" };
                return false;
            }
        }
        row.Start = row.Outcomes.Count;
        return true;
    }

    private JudgeItem ItemFor(Row row, MatrixKind kind)
    {
        var problem = row.Problem;
        var columns = problem.Columns.Skip(row.Start).ToList();
        var id = row.Key + "@" + row.Start.ToString(CultureInfo.InvariantCulture);
        var program = problem.Programs[row.Index];
        return kind == MatrixKind.Assertions
            // Generated assertions call the entry point by its own name, as CodeT's do.
            ? new JudgeItem(id, program, "", columns, problem.EntryPoint, _options.TimeLimitSeconds, RebindEntryPoint: true)
            : new JudgeItem(id, program, "", [], problem.EntryPoint, _options.TimeLimitSeconds, Calls: columns);
    }

    private string KeyFor(MatrixProblem problem, int index, MatrixKind kind)
    {
        var key = new StringBuilder()
            .Append("matrix-v1\0").Append(kind == MatrixKind.Assertions ? "assert" : "output").Append('\0')
            .Append(_judge.Fingerprint).Append('\0')
            .Append(problem.Programs[index]).Append('\0').Append(problem.EntryPoint).Append('\0')
            .AppendJoin('\u0001', problem.Columns).Append('\0')
            .Append(_options.TimeLimitSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\0')
            .Append(_options.MaxTimeoutsPerCandidate.ToString(CultureInfo.InvariantCulture));
        return "matrix-v1:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..40];
    }

    /// <summary>Cells from the stored rows: outcomes in column order; after them, the load failure's status or "not run".</summary>
    internal static ExecutionMatrix ToMatrix(MatrixProblem problem, IReadOnlyList<ProgramVerdict> rows, MatrixKind kind)
    {
        var m = problem.Columns.Count;
        var cells = new CellOutcome[rows.Count, m];
        var outputs = kind == MatrixKind.Outputs ? new string?[rows.Count, m] : null;
        for (var i = 0; i < rows.Count; i++)
        {
            var verdict = rows[i];
            for (var j = 0; j < m; j++)
            {
                if (j < verdict.Tests.Count)
                {
                    var test = verdict.Tests[j];
                    cells[i, j] = Cell(test);
                    if (outputs is not null && test.Passed)
                    {
                        outputs[i, j] = test.Output is { } json ? OutputKey.Of(json) : null;
                        // A returned object that is not plain data equals nothing: it counts as an error.
                        if (outputs[i, j] is null) cells[i, j] = CellOutcome.Error;
                    }
                }
                else
                {
                    cells[i, j] = verdict.Status switch
                    {
                        RunStatus.Ok => CellOutcome.NotRun,
                        RunStatus.TimeLimit => CellOutcome.Timeout,
                        _ => CellOutcome.Error,
                    };
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

    private sealed class Row(MatrixProblem problem, int index, string key)
    {
        private static int _counter;

        public MatrixProblem Problem { get; } = problem;
        public int Index { get; } = index;
        public string Key { get; } = key;
        public int Order { get; } = Interlocked.Increment(ref _counter);
        public List<TestOutcome> Outcomes { get; } = [];
        public int Start { get; set; }
        public int Timeouts { get; set; }
        public double CpuMs { get; set; }
        public ProgramVerdict? Final { get; set; }
    }
}
