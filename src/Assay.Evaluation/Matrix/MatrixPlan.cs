using Assay.Core.Problems;

namespace Assay.Evaluation.Matrix;

/// <summary>A problem's matrix rows and columns, and which samples each row (distinct program) stands for.</summary>
/// <param name="SampleIndexes">Per row, the indexes (into the samples list) of the raw samples with that program.</param>
public sealed record PlannedProblem(MatrixProblem Problem, IReadOnlyList<IReadOnlyList<int>> SampleIndexes);

/// <summary>Turns samples and prepared generated tests into matrix rows (distinct programs) and columns.</summary>
public static class MatrixPlan
{
    /// <summary>
    /// One entry per problem that has samples, in problem-file order. Programs are deduplicated by exact text
    /// (CodeT deduplicates completions per task); a problem without generated tests gets no columns.
    /// </summary>
    public static IReadOnlyList<PlannedProblem> Create(IReadOnlyList<Problem> problems, IReadOnlyList<Sample> samples,
        IReadOnlyList<ProblemTests> tests, MatrixKind kind)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(tests);
        var testsByTask = tests.ToDictionary(t => t.TaskId, StringComparer.Ordinal);
        var samplesByTask = samples.Select((s, i) => (s, i)).GroupBy(x => x.s.TaskId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var planned = new List<PlannedProblem>();
        foreach (var problem in problems)
        {
            if (!samplesByTask.TryGetValue(problem.TaskId, out var own)) continue;
            var programs = new List<string>();
            var indexes = new List<List<int>>();
            var rowOf = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (sample, index) in own)
            {
                var program = sample.ProgramFor(problem);
                if (!rowOf.TryGetValue(program, out var row))
                {
                    rowOf[program] = row = programs.Count;
                    programs.Add(program);
                    indexes.Add([]);
                }
                indexes[row].Add(index);
            }
            IReadOnlyList<string> columns = [];
            IReadOnlyList<int> multiplicity = [];
            IReadOnlyList<ColumnCall?>? calls = null;
            if (testsByTask.TryGetValue(problem.TaskId, out var generated))
            {
                columns = kind == MatrixKind.Assertions ? generated.Tests : generated.Inputs.Select(i => i.Arguments).ToList();
                multiplicity = kind == MatrixKind.Assertions ? generated.TestMultiplicity : generated.Inputs.Select(_ => 1).ToList();
                calls = kind == MatrixKind.Assertions ? generated.TestCalls : generated.Inputs;
            }
            var matrixProblem = new MatrixProblem(problem.TaskId, problem.EntryPoint ?? "", programs, indexes.Select(x => x.Count).ToList(), columns, multiplicity, calls);
            planned.Add(new PlannedProblem(matrixProblem, indexes));
        }
        return planned;
    }
}
