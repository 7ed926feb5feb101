using Assay.Server.Admission;
using Assay.Server.Scoring;

namespace Assay.Server.Tests;

/// <summary>The scoring rules and the admission gate on their own.</summary>
public sealed class ScoringTests
{
    [Theory]
    [InlineData("verl", 12, "TTTFTTTTTTFF", 0.9)]        // the first ten count: 9 of 10
    [InlineData("verl", 3, "TFT", 2.0 / 3)]             // fewer than ten: all of them
    [InlineData("fraction", 12, "TTTFTTTTTTFF", 9.0 / 12)]
    [InlineData("deepcoder", 4, "TTTT", 1.0)]
    [InlineData("deepcoder", 4, "TTTF", 0.0)]
    [InlineData("nemo_rl", 2, "T", 0.0)]                 // a test that never ran has not passed
    [InlineData("openr1_binary", 100, "", 0.0)]
    [InlineData("openr1_code", 5, "TTFFT", 0.6)]
    public void Presets_score_per_test_outcomes_as_their_trainers_do(string preset, int total, string outcomes, double expected)
    {
        var passed = outcomes.Select(c => c == 'T').ToList();
        Assert.Equal(expected, ScoringPreset.Find(preset)!.ScoreOf(passed, total), 9);
    }

    [Fact]
    public void Open_r1_binary_needs_more_than_99_percent()
    {
        var preset = ScoringPreset.OpenR1Binary;
        Assert.Equal(1.0, preset.ScoreOf(Enumerable.Repeat(true, 100).ToList(), 100));
        Assert.Equal(0.0, preset.ScoreOf(Enumerable.Repeat(true, 99).Append(false).ToList(), 100));
    }

    [Theory]
    [InlineData(FenceRule.PythonElseFirstBlock, "```js\nA\n```\n```python\nB\n```\n```python\nC\n```", "\nC\n")] // verl keeps the newline after the tag
    [InlineData(FenceRule.PythonElseFirstBlock, "```js\nA\n```\n```cpp\nB\n```", "A\n")]
    [InlineData(FenceRule.PythonElseFirstBlock, "no fence", null)]
    [InlineData(FenceRule.LastBlock, "```\nA\n```\n```py\nB\n```", "B\n")]
    [InlineData(FenceRule.LastBlock, "plain", null)]
    [InlineData(FenceRule.FirstBlockElseWhole, "plain", "plain")]
    [InlineData(FenceRule.LastLanguageBlock, "```py\nA\n```", null)]
    [InlineData(FenceRule.LastLanguageBlock, "```python\nA\n```\n```python\nB\n```", "B\n")]
    [InlineData(FenceRule.LastBlockElseWhole, "x = 1", "x = 1")]
    public void Code_is_found_by_each_trainers_rule(FenceRule rule, string completion, string? expected) =>
        Assert.Equal(expected, CodeExtraction.Extract(completion, rule, "python"));

    [Fact]
    public void The_gate_admits_up_to_its_capacity_then_refuses_with_a_retry_time()
    {
        var gate = new AdmissionGate(10);
        Assert.True(gate.TryAdmit(6).Admitted);
        Assert.True(gate.TryAdmit(4).Admitted);
        var refused = gate.TryAdmit(1);
        Assert.False(refused.Admitted);
        Assert.Equal(429, refused.StatusCode);
        Assert.InRange(refused.RetryAfterSeconds, 1, 60);
        Assert.Equal(413, gate.TryAdmit(11).StatusCode);
        gate.Started(6);
        Assert.Equal(4, gate.Queued);
        gate.Finished(6, 6);
        Assert.True(gate.TryAdmit(5).Admitted);
        gate.BeginDraining();
        Assert.Equal(503, gate.TryAdmit(1).StatusCode);
    }
}
