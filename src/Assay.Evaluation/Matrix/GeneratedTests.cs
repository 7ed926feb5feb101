using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Assay.Core.Execution;
using Assay.Execution.Running;
using Assay.Execution.Toolchains;

namespace Assay.Evaluation.Matrix;

/// <summary>One problem's generated tests after CodeT's rules: distinct assertions with multiplicities, and the distinct inputs they call the entry point with.</summary>
/// <param name="Tests">Distinct valid assertions, in order of first appearance.</param>
/// <param name="TestMultiplicity">How many times each was generated (within the per-sample limit).</param>
/// <param name="Inputs">Distinct argument lists of the entry-point calls in <paramref name="Tests"/>, each as a call without an expected value:
/// a plain JSON array, or the harness's plain-data tags where JSON cannot carry the arguments (tuples, sets, ...).</param>
/// <param name="Candidates">Assertions cut from the samples before the compile check (for reports).</param>
/// <param name="TestCalls">Per test: its call and expected value when it is exactly `assert ENTRY(literals) == literal`, else null.</param>
public sealed record ProblemTests(string TaskId, IReadOnlyList<string> Tests, IReadOnlyList<int> TestMultiplicity, IReadOnlyList<ColumnCall> Inputs, int Candidates,
    IReadOnlyList<ColumnCall?> TestCalls);

/// <summary>
/// Applies the two rules of CodeT's test extraction that need Python — an assertion is kept only if
/// `try:\n    assertion\nexcept:\n    pass` compiles, and only the first <c>limit</c> (5) valid ones of each test
/// sample count — and extracts each kept assertion's entry-point inputs. The assertions are compiled and parsed
/// (never run) by generated_tests.py, in the sandbox like everything else that reads model output.
/// </summary>
public static class GeneratedTests
{
    public const int CodeTTestCaseLimit = 5;

    private static readonly Lazy<string> Script = new(() =>
    {
        using var stream = typeof(GeneratedTests).Assembly.GetManifestResourceStream("Assay.Evaluation.Matrix.generated_tests.py")
            ?? throw new InvalidOperationException("generated_tests.py resource missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    });

    /// <param name="generated">Per problem, per generated test sample, the assertions cut from it (GeneratedTestFile).</param>
    public static async Task<IReadOnlyList<ProblemTests>> PrepareAsync(IProgramRunner runner, Toolchain python, IReadOnlyList<(string TaskId, IReadOnlyList<IReadOnlyList<string>> Samples)> generated,
        IReadOnlyDictionary<string, string> entryPoints, int limit = CodeTTestCaseLimit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(entryPoints);
        var flat = new List<(string Task, string Assertion)>();
        foreach (var problem in generated)
            foreach (var sample in problem.Samples)
                flat.AddRange(sample.Select(a => (problem.TaskId, a)));
        var distinct = flat.Distinct().ToList();
        var request = JsonSerializer.Serialize(new
        {
            entry_points = generated.ToDictionary(g => g.TaskId, g => entryPoints[g.TaskId]),
            tests = distinct.Select(d => new[] { d.Task, d.Assertion }),
        });
        var limits = python.RunLimits(ResourceLimits.Default) with
        {
            CpuTime = TimeSpan.FromSeconds(60),
            WallTime = TimeSpan.FromSeconds(120),
            MaxOutputBytes = 1L << 30,
        };
        var report = await runner.RunAsync(python, Script.Value, Encoding.UTF8.GetBytes(request), limits, cancellationToken);
        if (report.Status != RunStatus.Ok)
            throw new MatrixInfrastructureException($"examining the generated tests failed: {report.Status.ToWireName()} {report.Run.Message} {Tail(report.Run.Stderr)}");
        var answers = JsonNode.Parse(report.Run.Stdout) as JsonArray ?? throw new MatrixInfrastructureException("generated_tests.py printed no list");
        var analysis = new Dictionary<(string, string), (bool Valid, List<ColumnCall> Inputs, ColumnCall? Call)>();
        for (var i = 0; i < distinct.Count; i++)
        {
            var answer = (JsonObject)answers[i]!;
            var call = answer["call"]?.GetValue<string>() is { } args && answer["expected"]?.GetValue<string>() is { } expected
                ? new ColumnCall(args, expected, answer["tagged"]?.GetValue<bool>() ?? false)
                : null;
            var inputs = ((JsonArray)answer["inputs"]!).Select(n => (JsonArray)n!)
                .Select(pair => new ColumnCall(pair[0]!.GetValue<string>(), null, pair[1]!.GetValue<bool>())).ToList();
            analysis[distinct[i]] = (answer["valid"]!.GetValue<bool>(), inputs, call);
        }

        var result = new List<ProblemTests>(generated.Count);
        foreach (var problem in generated)
        {
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            var order = new List<string>();
            var candidates = 0;
            foreach (var sample in problem.Samples)
            {
                candidates += sample.Count;
                foreach (var assertion in sample.Where(a => analysis[(problem.TaskId, a)].Valid).Take(limit))
                {
                    if (!counts.TryGetValue(assertion, out var count)) order.Add(assertion);
                    counts[assertion] = count + 1;
                }
            }
            // Records compare by value: the same arguments in the same form are one input.
            var inputs = order.SelectMany(a => analysis[(problem.TaskId, a)].Inputs).Distinct().ToList();
            result.Add(new ProblemTests(problem.TaskId, order, order.Select(a => counts[a]).ToList(), inputs, candidates,
                order.Select(a => analysis[(problem.TaskId, a)].Call).ToList()));
        }
        return result;
    }

    private static string Tail(string text) => text.Length > 2000 ? text[^2000..] : text;
}
