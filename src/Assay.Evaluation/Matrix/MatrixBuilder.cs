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
/// <param name="Calls">Assertions only: per column, the call and expected value when the assertion is exactly
/// `assert ENTRY(literals) == literal` (judged as a call, its value compared outside the sandbox), else null.</param>
public sealed record MatrixProblem(string TaskId, string EntryPoint, IReadOnlyList<string> Programs, IReadOnlyList<int> CodeMultiplicity,
    IReadOnlyList<string> Columns, IReadOnlyList<int> ColumnMultiplicity, IReadOnlyList<ColumnCall?>? Calls = null);

/// <summary>A column judged as a call: the arguments (a JSON array) and, for an assertion, the expected value (plain-data JSON).</summary>
public sealed record ColumnCall(string Arguments, string? Expected);

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
/// problem's distinct generated tests (or inputs), many candidates per sandbox. Columns that are calls — every
/// input, and every assertion of the form `assert ENTRY(literals) == literal` — go to the worker in one request
/// and come back as plain data, compared with the expected literal outside the sandbox; other assertions run
/// as test snippets in the harness's judge. So a candidate has up to two items (its call columns, its snippet
/// columns). The harness stops an item at its first timeout, so an item that stopped early is continued in a
/// later round from the next column, until every column has a cell or the item has used up its allowance of
/// timeouts. Each finished item is stored under a "matrix-v1" key (program, columns, limits, harness version),
/// so a re-run, or another ranking method on the same matrix kind, judges nothing again.
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
        var candidates = 0;
        foreach (var problem in problems)
        {
            // Which columns go as calls, which as snippets; a candidate gets one item for each kind it has.
            var callColumns = Enumerable.Range(0, problem.Columns.Count).Where(j => kind == MatrixKind.Outputs || problem.Calls?[j] is not null).ToList();
            var snippetColumns = Enumerable.Range(0, problem.Columns.Count).Where(j => kind == MatrixKind.Assertions && problem.Calls?[j] is null).ToList();
            for (var i = 0; i < problem.Programs.Count; i++)
            {
                candidates++;
                if (callColumns.Count > 0) rows.Add(new Row(problem, i, callColumns, AsCalls: true, KeyFor(problem, i, kind, callColumns, true)));
                if (snippetColumns.Count > 0) rows.Add(new Row(problem, i, snippetColumns, AsCalls: false, KeyFor(problem, i, kind, snippetColumns, false)));
            }
        }

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
        var pending = rows.Where(r => r.Final is null).ToList();
        var judgedNow = pending.Count;
        var rounds = 0;
        // Items that stopped early (a timeout) are continued while the main pass goes on, not in rounds after it:
        // a round would wait for its slowest item with the other cores idle.
        var continuations = new ConcurrentQueue<Row>();
        async Task JudgeRowsAsync(IReadOnlyList<Row> batch)
        {
            Interlocked.Increment(ref rounds);
            var byId = new Dictionary<string, Row>(StringComparer.Ordinal);
            var items = new List<JudgeItem>(batch.Count);
            foreach (var row in batch)
            {
                var item = ItemFor(row, kind);
                byId[item.Id] = row;
                items.Add(item);
            }
            var answered = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
            await _judge.JudgeAsync(items, _options.Isolation, (id, verdict) =>
            {
                var row = byId[id];
                answered[id] = true;
                if (Advance(row, verdict, failures))
                {
                    continuations.Enqueue(row);
                    return Task.CompletedTask;
                }
                // Infrastructure faults are not remembered: the next run tries again.
                if (row.Final is { Status: not RunStatus.SandboxError } final) _store.Put(row.Key, final);
                progress?.Report(new EvaluationProgress(Interlocked.Increment(ref done), rows.Count, fromStore));
                return Task.CompletedTask;
            }, cancellationToken);
            // An item the judge never answered for is an infrastructure fault, not a verdict.
            foreach (var (id, row) in byId.Where(p => !answered.ContainsKey(p.Key)))
            {
                failures.Add($"{row.Problem.TaskId}: the judge returned no verdict");
                row.Final = new ProgramVerdict { Status = RunStatus.SandboxError, Error = "no verdict" };
            }
        }
        var mainDone = false;
        var pump = Task.Run(async () =>
        {
            while (true)
            {
                var batch = new List<Row>();
                while (batch.Count < 100 && continuations.TryDequeue(out var row)) batch.Add(row);
                if (batch.Count > 0)
                {
                    await JudgeRowsAsync(batch.OrderBy(r => r.Order).ToList());
                    continue;
                }
                if (Volatile.Read(ref mainDone) && continuations.IsEmpty) return;
                await Task.Delay(20, cancellationToken);
            }
        }, cancellationToken);
        try
        {
            if (pending.Count > 0) await JudgeRowsAsync(pending);
        }
        finally
        {
            Volatile.Write(ref mainDone, true);
            await pump;
        }
        await _store.FlushAsync(cancellationToken);

        var matrices = new Dictionary<string, ExecutionMatrix>(StringComparer.Ordinal);
        var byProblem = rows.ToLookup(r => r.Problem);
        foreach (var problem in problems) matrices[problem.TaskId] = ToMatrix(problem, byProblem[problem].ToList(), kind);
        return new MatrixBuild(matrices, candidates, judgedNow, fromStore, rounds, failures.ToList(), clock.Elapsed);
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
        var total = row.Columns.Count;
        if (verdict.Tests.Count == 0)
        {
            // The program could not even be defined (syntax error, exception or timeout at load, no entry point):
            // every remaining cell gets that status.
            row.Final = verdict.Status == RunStatus.Ok
                ? verdict with { Status = RunStatus.RuntimeError, Error = "no test outcomes", Tests = row.Outcomes.ToList() }
                : verdict with { Tests = row.Outcomes.ToList() };
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
        var columns = row.Columns.Skip(row.Start).ToList();
        var id = row.Key + "@" + row.Start.ToString(CultureInfo.InvariantCulture);
        var program = problem.Programs[row.Index];
        if (row.AsCalls)
        {
            var arguments = columns.Select(j => kind == MatrixKind.Outputs ? problem.Columns[j] : problem.Calls![j]!.Arguments).ToList();
            // Every cell is wanted: a call that raises does not end the item.
            return new JudgeItem(id, program, "", [], problem.EntryPoint, _options.TimeLimitSeconds, Calls: arguments, KeepGoing: true);
        }
        // Generated assertions call the entry point by its own name, as CodeT's do.
        return new JudgeItem(id, program, "", columns.Select(j => problem.Columns[j]).ToList(), problem.EntryPoint, _options.TimeLimitSeconds,
            RebindEntryPoint: true);
    }

    private string KeyFor(MatrixProblem problem, int index, MatrixKind kind, IReadOnlyList<int> columns, bool asCalls)
    {
        var key = new StringBuilder()
            .Append("matrix-v1\0").Append(kind == MatrixKind.Assertions ? "assert" : "output").Append(asCalls ? "\0calls\0" : "\0snippets\0")
            .Append(_judge.Fingerprint).Append('\0')
            .Append(problem.Programs[index]).Append('\0').Append(problem.EntryPoint).Append('\0')
            .AppendJoin('\u0001', columns.Select(j => asCalls && kind == MatrixKind.Assertions ? problem.Calls![j]!.Arguments : problem.Columns[j])).Append('\0')
            .Append(_options.TimeLimitSeconds.ToString("R", CultureInfo.InvariantCulture)).Append('\0')
            .Append(_options.MaxTimeoutsPerCandidate.ToString(CultureInfo.InvariantCulture));
        return "matrix-v1:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..40];
    }

    /// <summary>Cells from the stored items: outcomes in column order; after them, the load failure's status or "not run".</summary>
    private static ExecutionMatrix ToMatrix(MatrixProblem problem, IReadOnlyList<Row> rows, MatrixKind kind)
    {
        var m = problem.Columns.Count;
        var cells = new CellOutcome[problem.Programs.Count, m];
        var outputs = kind == MatrixKind.Outputs ? new string?[problem.Programs.Count, m] : null;
        foreach (var row in rows)
        {
            var verdict = row.Final!;
            for (var c = 0; c < row.Columns.Count; c++)
            {
                var (i, j) = (row.Index, row.Columns[c]);
                if (c >= verdict.Tests.Count)
                {
                    cells[i, j] = verdict.Status switch
                    {
                        RunStatus.Ok => CellOutcome.NotRun,
                        RunStatus.TimeLimit => CellOutcome.Timeout,
                        _ => CellOutcome.Error,
                    };
                    continue;
                }
                var test = verdict.Tests[c];
                cells[i, j] = Cell(test);
                if (!test.Passed || !row.AsCalls) continue;
                // A returned object that is not plain data equals nothing: an error for outputs, a failure for an assertion.
                var key = test.Output is { } json ? OutputKey.Of(json) : null;
                if (outputs is not null)
                {
                    outputs[i, j] = key;
                    if (key is null) cells[i, j] = CellOutcome.Error;
                }
                else
                {
                    cells[i, j] = key is not null && key == OutputKey.Of(problem.Calls![j]!.Expected!) ? CellOutcome.Pass : CellOutcome.Fail;
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

    /// <summary>One judge item's worth of a candidate: its call columns or its snippet columns, and how far it has got.</summary>
    private sealed class Row(MatrixProblem problem, int index, IReadOnlyList<int> columns, bool AsCalls, string key)
    {
        private static int _counter;

        public MatrixProblem Problem { get; } = problem;
        public int Index { get; } = index;
        public IReadOnlyList<int> Columns { get; } = columns;
        public bool AsCalls { get; } = AsCalls;
        public string Key { get; } = key;
        public int Order { get; } = Interlocked.Increment(ref _counter);
        public List<TestOutcome> Outcomes { get; } = [];
        public int Start { get; set; }
        public int Timeouts { get; set; }
        public double CpuMs { get; set; }
        public ProgramVerdict? Final { get; set; }
    }
}
