using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Assay.Core.Metrics;
using Assay.Core.Problems;
using Assay.Core.Ranking;
using Assay.Cli.Output;
using Assay.Datasets.Jsonl;
using Assay.Evaluation;
using Assay.Evaluation.Matrix;
using Spectre.Console;

namespace Assay.Cli.Rendering;

/// <summary>One problem's ranking and the figures that come from it.</summary>
internal sealed record ProblemRanking(PlannedProblem Planned, ExecutionMatrix Matrix, CandidateRanking Ranking, IReadOnlyList<int> CorrectPerRow,
    IReadOnlyDictionary<int, double> RankedPassAtK, int Passed);

/// <summary>The figures `assay rank` reports (its `--json` contract is documented in the README) and its ranked-candidates file.</summary>
internal sealed class RankReport
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private RankReport(string method, IReadOnlyList<ProblemRanking> problems, MatrixBuild build, EvaluationResult evaluation, IReadOnlyList<ProblemTests> tests,
        IReadOnlyDictionary<int, double> ranked, IReadOnlyDictionary<int, double> random)
    {
        Method = method;
        Problems = problems;
        Build = build;
        Evaluation = evaluation;
        Tests = tests;
        Ranked = ranked;
        Random = random;
    }

    public string Method { get; }
    public IReadOnlyList<ProblemRanking> Problems { get; }
    public MatrixBuild Build { get; }
    public EvaluationResult Evaluation { get; }
    public IReadOnlyList<ProblemTests> Tests { get; }
    public IReadOnlyDictionary<int, double> Ranked { get; }
    public IReadOnlyDictionary<int, double> Random { get; }

    public static RankReport Create(string method, IReadOnlyList<PlannedProblem> plan, MatrixBuild build, EvaluationResult evaluation,
        IReadOnlyList<ProblemTests> tests, IReadOnlyList<int> ks, Func<ExecutionMatrix, CandidateRanking> rank)
    {
        var problems = new List<ProblemRanking>(plan.Count);
        foreach (var planned in plan)
        {
            var matrix = build.Matrices[planned.Problem.TaskId];
            var correct = planned.SampleIndexes.Select(rows => rows.Count(i => evaluation.Samples[i].Verdict.Passed)).ToList();
            var ranking = rank(matrix);
            var n = matrix.Samples;
            var perK = ks.Where(k => k <= n).ToDictionary(k => k, k => RankedPassAtK.Estimate(ranking, matrix, correct, k));
            problems.Add(new ProblemRanking(planned, matrix, ranking, correct, perK, correct.Sum()));
        }
        // Both figures over the same problems and the same k (k ≤ the smallest number of samples of a problem).
        var minN = problems.Count == 0 ? 0 : problems.Min(p => p.Matrix.Samples);
        var usable = ks.Where(k => k <= minN).ToList();
        var ranked = usable.ToDictionary(k => k, k => problems.Average(p => p.RankedPassAtK[k]));
        var random = PassAtK.Mean(problems.Select(p => (p.Matrix.Samples, p.Passed)).ToList(), usable);
        return new RankReport(method, problems, build, evaluation, tests, ranked, random);
    }

    /// <summary>
    /// One line per problem: the groups best first (candidates as the completion ids of their samples), the
    /// unranked candidates, the tie rule, the deterministic top pick, and the problem's ranked pass@k.
    /// </summary>
    public async Task WriteRankedAsync(string path, IReadOnlyList<Sample> samples, CancellationToken cancellationToken)
    {
        var text = new StringBuilder();
        foreach (var p in Problems)
        {
            List<int> Ids(int row) => p.Planned.SampleIndexes[row].Select(i => samples[i].CompletionId).ToList();
            var groups = p.Ranking.Groups.Select((g, rank) => new Dictionary<string, object?>
            {
                ["rank"] = rank + 1,
                ["score"] = Math.Round(g.Score, 6),
                ["samples"] = g.Samples,
                ["merged_from"] = g.MergedFrom,
                ["correct_samples"] = g.Members.Sum(i => p.CorrectPerRow[i]),
                ["candidates"] = g.Members.Select(Ids).ToList(),
            }).ToList();
            var top = p.Ranking.Groups.Count > 0 ? p.Ranking.Groups[0].Members[0] : (int?)null;
            text.AppendLine(JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["task_id"] = p.Planned.Problem.TaskId,
                ["method"] = p.Ranking.Method,
                ["parameters"] = p.Ranking.Parameters,
                ["tie_rule"] = CandidateRanking.TieRule,
                ["tied_at_top"] = p.Ranking.TiedAtTop,
                ["top_pick"] = top is { } row ? Ids(row)[0] : null,
                ["top_pick_rule"] = "first sample of the lowest-index candidate of the top group",
                ["groups"] = groups,
                ["unranked"] = p.Ranking.Unranked.Select(Ids).ToList(),
                ["candidates"] = p.Matrix.Codes,
                ["columns"] = p.Matrix.Tests,
                ["samples"] = p.Matrix.Samples,
                ["passed"] = p.Passed,
                ["ranked_pass_at_k"] = Figures(p.RankedPassAtK),
            }, JsonOptions));
        }
        await OutputFile.WriteAsync(path, file => file.WriteAsync(text, cancellationToken), cancellationToken);
    }

    public string ToJson(string rankedPath, IReadOnlyList<BadRecord> bad, TimeSpan elapsed)
    {
        var cells = new Dictionary<string, long>();
        foreach (var p in Problems)
            foreach (var (outcome, count) in p.Matrix.OutcomeCounts())
                cells[Wire(outcome)] = cells.GetValueOrDefault(Wire(outcome)) + count;
        var first = Problems.FirstOrDefault()?.Ranking;
        var obj = new Dictionary<string, object?>
        {
            ["method"] = Method,
            ["parameters"] = first?.Parameters.Where(p => p.Key != "inputs" && p.Key != "inputs_with_tied_majority").ToDictionary(),
            ["ranked_pass_at_k"] = Figures(Ranked),
            ["random_pass_at_k"] = Figures(Random),
            ["tie_rule"] = CandidateRanking.TieRule,
            ["problems"] = Problems.Count,
            ["problems_with_ranked_candidates"] = Problems.Count(p => p.Ranking.Groups.Count > 0),
            ["problems_tied_at_top"] = Problems.Count(p => p.Ranking.TiedAtTop > 1),
            ["samples"] = Problems.Sum(p => p.Matrix.Samples),
            ["passed"] = Problems.Sum(p => p.Passed),
            ["distinct_candidates"] = Build.Candidates,
            ["generated_assertions"] = Tests.Sum(t => t.Candidates),
            ["columns"] = Problems.Sum(p => p.Matrix.Tests),
            ["cells"] = cells,
            ["matrix"] = new Dictionary<string, object>
            {
                ["kind"] = Problems.Any(p => p.Matrix.HasOutputs) ? "outputs" : "assertions",
                ["judged_now"] = Build.JudgedNow,
                ["from_store"] = Build.FromStore,
                ["sandbox_cpu_seconds"] = Math.Round(Build.SandboxCpu.TotalSeconds, 3),
                ["seconds"] = Math.Round(Build.Elapsed.TotalSeconds, 3),
            },
            ["bad_records"] = bad.Select(b => b.ToString()).ToList(),
            ["timing"] = new Dictionary<string, double>
            {
                ["total_seconds"] = Math.Round(elapsed.TotalSeconds, 3),
                ["ground_truth_seconds"] = Math.Round(Evaluation.Elapsed.TotalSeconds, 3),
                ["matrix_seconds"] = Math.Round(Build.Elapsed.TotalSeconds, 3),
            },
            ["ranked_file"] = rankedPath,
        };
        return JsonSerializer.Serialize(obj, JsonOptions);
    }

    public void RenderTable(CliConsole console, string rankedPath, TimeSpan elapsed)
    {
        var table = new Table().AddColumns("k", $"ranked pass@k ({Markup.Escape(Method)})", "random pass@k");
        foreach (var (k, value) in Ranked)
            table.AddRow(k.ToString(CultureInfo.InvariantCulture), $"{value * 100:F2}", $"{Random[k] * 100:F2}");
        console.Ui.Write(table);
        var cells = Problems.SelectMany(p => p.Matrix.OutcomeCounts()).GroupBy(c => c.Key).Select(g => $"{Wire(g.Key)} {g.Sum(x => x.Value)}");
        console.Ui.MarkupLine(Markup.Escape($"{Problems.Count} problems, {Problems.Sum(p => p.Matrix.Samples)} samples, {Build.Candidates} distinct candidates, "
            + $"{Problems.Sum(p => p.Matrix.Tests)} columns; cells: {string.Join(", ", cells)}"));
        console.Ui.MarkupLine(Markup.Escape($"ties: {Problems.Count(p => p.Ranking.TiedAtTop > 1)} problems with a tie at rank 1 ({CandidateRanking.TieRule})"));
        console.Ui.MarkupLine(Markup.Escape($"matrix: {Build.JudgedNow} judged now, {Build.FromStore} from the store, {Build.Elapsed.TotalSeconds:F1} s; total {elapsed.TotalSeconds:F1} s"));
        console.Ui.WriteLine("ranked candidates: " + rankedPath);
    }

    private static Dictionary<string, double> Figures(IReadOnlyDictionary<int, double> values) =>
        values.ToDictionary(p => p.Key.ToString(CultureInfo.InvariantCulture), p => Math.Round(p.Value, 6));

    private static string Wire(CellOutcome outcome) => outcome switch
    {
        CellOutcome.Pass => "pass",
        CellOutcome.Fail => "fail",
        CellOutcome.Error => "error",
        CellOutcome.Timeout => "timeout",
        _ => "not_run",
    };
}
