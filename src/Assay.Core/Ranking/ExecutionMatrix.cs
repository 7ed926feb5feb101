namespace Assay.Core.Ranking;

/// <summary>What happened in one cell of an execution matrix (one candidate on one generated test or input).</summary>
public enum CellOutcome : byte
{
    /// <summary>Pass/fail matrix: the test passed. Output matrix: the call returned a value.</summary>
    Pass,

    /// <summary>The test's assertion failed (pass/fail matrices only).</summary>
    Fail,

    /// <summary>The candidate raised, did not define its function, or the test itself could not run.</summary>
    Error,

    /// <summary>The per-test time limit ran out.</summary>
    Timeout,

    /// <summary>Not run: the candidate had used up its allowance of timeouts before this test.</summary>
    NotRun,
}

/// <summary>
/// One problem's execution matrix: distinct candidates (rows) × distinct generated tests (columns), each cell a
/// <see cref="CellOutcome"/>, with how many raw samples produced each candidate and how many generated test
/// samples produced each test (CodeT counts both with multiplicity). For the outputs variant (MBR-exec,
/// clustering, majority vote) the columns are test inputs and each passing cell carries the returned value
/// as a canonical key (<see cref="OutputKey"/>): equal keys mean Python's `==` holds for the plain data.
/// </summary>
public sealed class ExecutionMatrix
{
    private readonly CellOutcome[] _cells;
    private readonly string?[]? _outputs;

    public ExecutionMatrix(string taskId, IReadOnlyList<int> codeMultiplicity, IReadOnlyList<int> testMultiplicity, CellOutcome[,] cells,
        string?[,]? outputs = null)
    {
        ArgumentNullException.ThrowIfNull(codeMultiplicity);
        ArgumentNullException.ThrowIfNull(testMultiplicity);
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.GetLength(0) != codeMultiplicity.Count || cells.GetLength(1) != testMultiplicity.Count)
            throw new ArgumentException($"cells are {cells.GetLength(0)}×{cells.GetLength(1)}, multiplicities {codeMultiplicity.Count}×{testMultiplicity.Count}");
        if (outputs is not null && (outputs.GetLength(0) != cells.GetLength(0) || outputs.GetLength(1) != cells.GetLength(1)))
            throw new ArgumentException("outputs must have the shape of the cells");
        if (codeMultiplicity.Any(m => m < 1) || testMultiplicity.Any(m => m < 1)) throw new ArgumentException("multiplicities must be at least 1");
        TaskId = taskId;
        CodeMultiplicity = codeMultiplicity.ToArray();
        TestMultiplicity = testMultiplicity.ToArray();
        Codes = codeMultiplicity.Count;
        Tests = testMultiplicity.Count;
        _cells = new CellOutcome[Codes * Tests];
        if (outputs is not null) _outputs = new string?[Codes * Tests];
        for (var i = 0; i < Codes; i++)
        {
            for (var j = 0; j < Tests; j++)
            {
                _cells[i * Tests + j] = cells[i, j];
                if (_outputs is not null) _outputs[i * Tests + j] = cells[i, j] == CellOutcome.Pass ? outputs![i, j] : null;
            }
        }
    }

    /// <summary>A pass/fail matrix from 0/1 rows (tests and worked examples), all multiplicities 1 unless given.</summary>
    public static ExecutionMatrix FromPasses(IReadOnlyList<IReadOnlyList<int>> rows, IReadOnlyList<int>? codeMultiplicity = null,
        IReadOnlyList<int>? testMultiplicity = null, string taskId = "")
    {
        ArgumentNullException.ThrowIfNull(rows);
        var m = rows.Count == 0 ? testMultiplicity?.Count ?? 0 : rows[0].Count;
        var cells = new CellOutcome[rows.Count, m];
        for (var i = 0; i < rows.Count; i++)
            for (var j = 0; j < m; j++) cells[i, j] = rows[i][j] != 0 ? CellOutcome.Pass : CellOutcome.Fail;
        return new ExecutionMatrix(taskId, codeMultiplicity ?? Enumerable.Repeat(1, rows.Count).ToArray(),
            testMultiplicity ?? Enumerable.Repeat(1, m).ToArray(), cells);
    }

    /// <summary>An output matrix from per-cell canonical values (null: the call raised), all multiplicities 1 unless given.</summary>
    public static ExecutionMatrix FromOutputs(IReadOnlyList<IReadOnlyList<string?>> outputs, IReadOnlyList<int>? codeMultiplicity = null,
        string taskId = "")
    {
        ArgumentNullException.ThrowIfNull(outputs);
        var m = outputs.Count == 0 ? 0 : outputs[0].Count;
        var cells = new CellOutcome[outputs.Count, m];
        var values = new string?[outputs.Count, m];
        for (var i = 0; i < outputs.Count; i++)
        {
            for (var j = 0; j < m; j++)
            {
                cells[i, j] = outputs[i][j] is null ? CellOutcome.Error : CellOutcome.Pass;
                values[i, j] = outputs[i][j];
            }
        }
        return new ExecutionMatrix(taskId, codeMultiplicity ?? Enumerable.Repeat(1, outputs.Count).ToArray(), Enumerable.Repeat(1, m).ToArray(), cells, values);
    }

    public string TaskId { get; }

    /// <summary>Distinct candidates (rows).</summary>
    public int Codes { get; }

    /// <summary>Distinct tests or inputs (columns).</summary>
    public int Tests { get; }

    /// <summary>Raw samples that produced each candidate.</summary>
    public IReadOnlyList<int> CodeMultiplicity { get; }

    /// <summary>Generated test samples that produced each test (1 each for inputs).</summary>
    public IReadOnlyList<int> TestMultiplicity { get; }

    /// <summary>True when the cells carry returned values rather than pass/fail.</summary>
    public bool HasOutputs => _outputs is not null;

    public CellOutcome this[int code, int test] => _cells[code * Tests + test];

    public bool Passed(int code, int test) => _cells[code * Tests + test] == CellOutcome.Pass;

    /// <summary>The canonical key of the value candidate <paramref name="code"/> returned on input <paramref name="test"/>, or null if it did not return.</summary>
    public string? Output(int code, int test) => _outputs?[code * Tests + test];

    /// <summary>Raw samples in all.</summary>
    public int Samples => CodeMultiplicity.Sum();

    /// <summary>How many cells have each outcome.</summary>
    public IReadOnlyDictionary<CellOutcome, int> OutcomeCounts() =>
        _cells.GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count());
}
