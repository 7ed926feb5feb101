using Assay.Core.Problems;
using Assay.Server.Admission;
using Assay.Server.Scoring;

namespace Assay.Server.Tests;

/// <summary>
/// The scoring presets and the admission gate on their own. Every preset row is worked out from the trainer's
/// published code: verl `verl/utils/reward_score/sandbox_fusion/__init__.py::compute_score` (and `utils.py`),
/// rllm `rllm/rewards/code_reward.py::extract_code_from_model` and `check_correctness`, NeMo-RL
/// `nemo_rl/environments/code_test_environment.py::extract_code` and `verify`, open-r1
/// `src/open_r1/rewards.py::extract_code`, `code_reward` and `binary_code_reward`.
/// </summary>
public sealed class ScoringTests
{
    [Theory]
    [InlineData("verl", FenceRule.Verl, OutputMatch.ExactUpToTrailingNewlines, TestSelection.FirstTen, ScoreRule.Fraction, false)]
    [InlineData("deepcoder", FenceRule.DeepCoder, OutputMatch.TacoLenient, TestSelection.LongestFifteen, ScoreRule.AllOrNothing, false)]
    [InlineData("nemo_rl", FenceRule.NemoRl, OutputMatch.StrippedEqual, TestSelection.All, ScoreRule.AllOrNothing, false)]
    [InlineData("openr1_code", FenceRule.OpenR1, OutputMatch.StrippedLinePrefix, TestSelection.All, ScoreRule.Fraction, true)]
    [InlineData("openr1_binary", FenceRule.OpenR1, OutputMatch.StrippedLinePrefix, TestSelection.All, ScoreRule.AboveNinetyNinePercent, true)]
    [InlineData("fraction", FenceRule.Assay, OutputMatch.Tokens, TestSelection.All, ScoreRule.Fraction, false)]
    [InlineData("all_or_nothing", FenceRule.Assay, OutputMatch.Tokens, TestSelection.All, ScoreRule.AllOrNothing, false)]
    public void Each_preset_is_its_trainers_rule(string name, FenceRule extraction, OutputMatch compare, TestSelection selection, ScoreRule score,
        bool timeOutScoresZero) =>
        Assert.Equal(new ScoringPreset(name, extraction, compare, selection, score, timeOutScoresZero), ScoringPreset.Find(name));

    /// <summary>Outcomes of the judged tests: T passed, F failed, O timed out.</summary>
    [Theory]
    [InlineData("verl", "TFTTTTTTTT", 0.9)]           // the first ten are all that is judged: 9 of 10
    [InlineData("verl", "TFT", 2.0 / 3)]              // fewer than ten: all of them
    [InlineData("verl", "FTTTTTTTT", 8.0 / 9)]        // a first failure does not hide the later passes
    [InlineData("fraction", "FTTTTTTTT", 8.0 / 9)]
    [InlineData("fraction", "TOT", 2.0 / 3)]          // a time-out is one failed test
    [InlineData("deepcoder", "TTTT", 1.0)]
    [InlineData("deepcoder", "TTTF", 0.0)]
    [InlineData("nemo_rl", "TTTTTTTTTF", 0.0)]
    [InlineData("all_or_nothing", "TTT", 1.0)]
    [InlineData("openr1_code", "TTFFT", 0.6)]
    [InlineData("openr1_code", "TTTTO", 0.0)]         // an uncaught TimeoutExpired: the whole script fails, the reward is 0
    [InlineData("openr1_binary", "TTTTTTTTTT", 1.0)]
    [InlineData("openr1_binary", "TTTTTTTTTF", 0.0)]  // 0.9 is not above 0.99
    [InlineData("openr1_binary", "", 0.0)]
    public void Presets_turn_per_test_outcomes_into_their_trainers_number(string preset, string outcomes, double expected)
    {
        var passed = outcomes.Select(c => c == 'T').ToList();
        Assert.Equal(expected, ScoringPreset.Find(preset)!.ScoreOf(passed, outcomes.Length, timedOut: outcomes.Contains('O')), 9);
    }

    [Fact]
    public void Open_r1_binary_needs_more_than_99_percent()
    {
        var preset = ScoringPreset.OpenR1Binary;
        Assert.Equal(1.0, preset.ScoreOf(Enumerable.Repeat(true, 100).ToList(), 100));
        Assert.Equal(0.0, preset.ScoreOf(Enumerable.Repeat(true, 99).Append(false).ToList(), 100));
        Assert.Equal(1.0, preset.ScoreOf(Enumerable.Repeat(true, 200).Append(false).ToList(), 201)); // 0.995
    }

    [Fact]
    public void Presets_judge_the_tests_their_trainers_count()
    {
        Assert.Equal(Enumerable.Range(0, 10), ScoringPreset.Verl.Select(12));
        Assert.Equal(Enumerable.Range(0, 4), ScoringPreset.Verl.Select(4));
        Assert.Equal(Enumerable.Range(0, 12), ScoringPreset.Fraction.Select(12));
        // DeepCoder keeps the 15 longest inputs (ties: the earlier test), and nothing is dropped at 15 or fewer.
        var lengths = Enumerable.Range(0, 20).Select(i => i % 5).ToList();
        var kept = ScoringPreset.DeepCoder.Select(20, lengths);
        Assert.Equal(15, kept.Count);
        Assert.DoesNotContain(kept, i => lengths[i] == 0);
        Assert.Equal(kept.Order(), kept);
        Assert.Equal(Enumerable.Range(0, 15), ScoringPreset.DeepCoder.Select(15, lengths));
        Assert.True(ScoringPreset.Verl.CountsEveryTest);
        Assert.False(ScoringPreset.DeepCoder.CountsEveryTest);
    }

    [Theory]
    // verl: after the last "```python" up to the next fence (the newline after the tag is kept) ...
    [InlineData(FenceRule.Verl, "```js\nA\n```\n```python\nB\n```\n```python\nC\n```", "\nC\n")]
    [InlineData(FenceRule.Verl, "```python3\nA\n```", "3\nA\n")]
    // ... else between the first two fences, a first line of letters dropped ...
    [InlineData(FenceRule.Verl, "```js\nA\n```\n```cpp\nB\n```", "A\n")]
    [InlineData(FenceRule.Verl, "```c++\nA\n```", "c++\nA\n")]
    [InlineData(FenceRule.Verl, "```\nA\n```", "\nA\n")]
    [InlineData(FenceRule.Verl, "```print(1)```", "print(1)")]
    [InlineData(FenceRule.Verl, "text ```\nA", "\nA")]
    // ... else no code at all.
    [InlineData(FenceRule.Verl, "no fence", null)]
    // DeepCoder: the last block whose tag is a word (or absent), stripped.
    [InlineData(FenceRule.DeepCoder, "```\nA\n```\n```py\nB\n```", "B")]
    [InlineData(FenceRule.DeepCoder, "```python\n  A  \n```", "A")]
    [InlineData(FenceRule.DeepCoder, "```c++\nA\n```", null)]
    [InlineData(FenceRule.DeepCoder, "```\nA", null)]
    [InlineData(FenceRule.DeepCoder, "plain", null)]
    // NeMo-RL: the first ```python block, else the first bare block, else everything; stripped; empty is no code.
    [InlineData(FenceRule.NemoRl, "plain  ", "plain")]
    [InlineData(FenceRule.NemoRl, "```js\nA\n```\n```python\nB\n```", "B")]
    [InlineData(FenceRule.NemoRl, "```python  \nB\n```", "B")]
    [InlineData(FenceRule.NemoRl, "```cpp\nA\n```", "```cpp\nA\n```")]
    [InlineData(FenceRule.NemoRl, "```python\n\n```", null)]
    // open-r1: the last "```python\n" block, else the empty program (which it runs).
    [InlineData(FenceRule.OpenR1, "```python\nA\n```\n```python\nB\n```", "B\n")]
    [InlineData(FenceRule.OpenR1, "```py\nA\n```", "")]
    [InlineData(FenceRule.OpenR1, "```python \nA\n```", "")]
    // Assay's own rule, as `assay eval` reads a sample: the item's language's block, else the first untagged one,
    // else the first block; without fences the whole text.
    [InlineData(FenceRule.Assay, "x = 1", "x = 1")]
    [InlineData(FenceRule.Assay, "```python\nA\n```\nOutput:\n```text\n3\n```", "A\n")]
    [InlineData(FenceRule.Assay, "```js\nA\n```\n```py\nB\n```", "B\n")]
    [InlineData(FenceRule.Assay, "```text\nA\n```\n```\nB\n```", "B\n")]
    [InlineData(FenceRule.Assay, "```cpp\nA\n```", "A\n")]
    public void Code_is_found_by_each_trainers_rule(FenceRule rule, string completion, string? expected) =>
        Assert.Equal(expected, CodeExtraction.Extract(completion, rule, Languages.Of("python")));

    [Theory]
    [InlineData("```cpp\nint main() {}\n```\n```python\nprint(1)\n```", "cpp")]
    [InlineData("```c++\nint main() {}\n```", "cpp")]
    [InlineData("```java\nclass A {}\n```\n```\nplain\n```", "rust")]
    [InlineData("no fence at all", "go")]
    public void The_default_presets_find_code_exactly_as_assay_eval_reads_a_sample(string completion, string language) =>
        Assert.Equal(Datasets.Formats.CodeFences.Extract(completion, Languages.Of(language)), CodeExtraction.Extract(completion, ScoringPreset.Fraction.Extraction, Languages.Of(language)));

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
