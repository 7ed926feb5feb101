using Assay.Cli;
using Assay.Evaluation.Tests.Support;

namespace Assay.Evaluation.Tests.Ranking;

/// <summary>
/// CodeT on its own released data: CodeGen-16B's 16,400 HumanEval samples and its generated tests
/// (../shared/data/samples/codet/). CodeT's evaluator, official scoring (√ of the code count), gives ranked
/// pass@1/@2/@10 = 36.76 / 44.74 / 59.36 (../shared/data/README.md); Assay must land within 1.5 points.
/// Slow (the ground truth and the whole matrix, a few minutes on two cores): one test.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class CodeTRealDataTests : IDisposable
{
    private const string Problems = "codet/HumanEval_for_code_generation.jsonl";
    private const string Samples = "samples/codet/HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_code_solution.jsonl";
    private const string Tests = "samples/codet/HumanEval_codegen16B_temp0.8_topp0.95_num100_max300_test_case.jsonl";

    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [RealDataFact(Problems, Samples, Tests)]
    public async Task CodeT_ranked_pass_at_k_reproduces_the_reference_within_one_and_a_half_points()
    {
        var run = await AssayCli.RunAsync("rank", "--problems", Requirements.Data(Problems), "--samples", Requirements.Data(Samples),
            "--tests", Requirements.Data(Tests), "--method", "codet", "--k", "1,2,10", "--json",
            "--store", _dir.PathOf("verdicts.db"), "--out", _dir.PathOf("ranked.jsonl"));

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var json = run.Json();
        double Ranked(int k) => json.GetProperty("ranked_pass_at_k").GetProperty(k.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetDouble() * 100;
        double Random(int k) => json.GetProperty("random_pass_at_k").GetProperty(k.ToString(System.Globalization.CultureInfo.InvariantCulture)).GetDouble() * 100;
        var figures = $"ranked pass@1/2/10 = {Ranked(1):F2} / {Ranked(2):F2} / {Ranked(10):F2}, random pass@1/10 = {Random(1):F2} / {Random(10):F2}; {json}";

        Assert.Equal(164, json.GetProperty("problems").GetInt32());
        Assert.Equal(16400, json.GetProperty("samples").GetInt32());
        Assert.True(Math.Abs(Ranked(1) - 36.76) <= 1.5, figures);
        Assert.True(Math.Abs(Ranked(2) - 44.74) <= 1.5, figures);
        Assert.True(Math.Abs(Ranked(10) - 59.36) <= 1.5, figures);
        // The same run's random-sample figures are the evaluator's (22.12 / 50.38), and ranking must beat them.
        Assert.True(Math.Abs(Random(1) - 22.12) <= 0.5, figures);
        Assert.True(Math.Abs(Random(10) - 50.38) <= 0.5, figures);
        Assert.True(Ranked(1) > Random(1) + 10, figures);
    }
}
