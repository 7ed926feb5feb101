using Assay.Core.Problems;

namespace Assay.Server.Scoring;

/// <summary>How a reward is read from a completion's per-test outcomes (over the tests the preset judges).</summary>
public enum ScoreRule
{
    /// <summary>Tests passed / tests judged.</summary>
    Fraction,

    /// <summary>1 when every judged test passes, else 0 (DeepCoder, NeMo-RL).</summary>
    AllOrNothing,

    /// <summary>1 when more than 99% of the tests pass, else 0 (open-r1's `binary_code_reward`).</summary>
    AboveNinetyNinePercent,
}

/// <summary>Which of an item's tests are judged and count.</summary>
public enum TestSelection
{
    All,

    /// <summary>The first ten, in the given order (verl's `continuous` score: the others do not count).</summary>
    FirstTen,

    /// <summary>All of them when there are at most 15; else the 15 with the longest inputs (DeepCoder).</summary>
    LongestFifteen,
}

/// <summary>
/// A trainer's own reward definition, so that a reward from Assay is the reward the trainer's built-in scorer
/// gives: where the code is found in a completion, which tests are judged, how stdout is compared, and how
/// passes become a number. Each preset names the trainer's function it reproduces.
/// </summary>
/// <param name="Name">The preset's name on the wire.</param>
/// <param name="TimeOutScoresZero">A test that times out makes the whole reward 0 (open-r1: its evaluation
/// script does not catch `TimeoutExpired`, the script fails, and the reward is 0).</param>
public sealed record ScoringPreset(string Name, FenceRule Extraction, OutputMatch Compare, TestSelection Selection, ScoreRule Score,
    bool TimeOutScoresZero = false)
{
    /// <summary>
    /// Assay's default: the code found as `assay eval` finds it in a sample (the item's language's fenced block,
    /// else the whole text), tokens compared, fraction of all tests passed.
    /// </summary>
    public static ScoringPreset Fraction { get; } = new("fraction", FenceRule.Assay, OutputMatch.Tokens, TestSelection.All, ScoreRule.Fraction);

    /// <summary>
    /// verl `verl/utils/reward_score/sandbox_fusion/__init__.py::compute_score` with `continuous=True` (what
    /// `default_compute_score` passes for code): verl's extraction, stdout equal up to trailing newlines
    /// (`utils.py::_process_single_case`), the fraction of the first min(n, 10) tests that pass.
    /// </summary>
    public static ScoringPreset Verl { get; } = new("verl", FenceRule.Verl, OutputMatch.ExactUpToTrailingNewlines, TestSelection.FirstTen,
        ScoreRule.Fraction);

    /// <summary>
    /// rllm/DeepCoder `rllm/rewards/code_reward.py::check_correctness` with `taco.py::run_test` (the route of
    /// taco, apps, code_contests and primeintellect items): last fenced block with a word tag or none, else no
    /// code; the 15 tests with the longest inputs; TACO's lenient comparison; all must pass.
    /// </summary>
    public static ScoringPreset DeepCoder { get; } = new("deepcoder", FenceRule.DeepCoder, OutputMatch.TacoLenient, TestSelection.LongestFifteen,
        ScoreRule.AllOrNothing);

    /// <summary>
    /// NeMo-RL `nemo_rl/environments/code_test_environment.py` (`extract_code`, `run_single_test`): the first
    /// ```python block, else the first bare ``` block, else the whole response; stripped stdout equal to the
    /// stripped expected output; all must pass (judging stops at the first failure).
    /// </summary>
    public static ScoringPreset NemoRl { get; } = new("nemo_rl", FenceRule.NemoRl, OutputMatch.StrippedEqual, TestSelection.All,
        ScoreRule.AllOrNothing);

    /// <summary>
    /// open-r1 `src/open_r1/rewards.py::code_reward`: the last block opened by ```python and a newline, else an
    /// empty program (it is run, as there); stripped lines compared pairwise; the fraction of tests passed, and 0
    /// when a test times out.
    /// </summary>
    public static ScoringPreset OpenR1Code { get; } = new("openr1_code", FenceRule.OpenR1, OutputMatch.StrippedLinePrefix, TestSelection.All,
        ScoreRule.Fraction, TimeOutScoresZero: true);

    /// <summary>open-r1 `binary_code_reward`: `code_reward`'s value, then 1 above 0.99, else 0.</summary>
    public static ScoringPreset OpenR1Binary { get; } = OpenR1Code with { Name = "openr1_binary", Score = ScoreRule.AboveNinetyNinePercent };

    /// <summary>All-or-nothing with Assay's extraction and comparison.</summary>
    public static ScoringPreset AllOrNothing { get; } = Fraction with { Name = "all_or_nothing", Score = ScoreRule.AllOrNothing };

    public static IReadOnlyList<ScoringPreset> All { get; } = [Fraction, Verl, DeepCoder, NemoRl, OpenR1Code, OpenR1Binary, AllOrNothing];

    public static ScoringPreset? Find(string? name) =>
        name is null ? Fraction : All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", All.Select(p => p.Name));

    /// <summary>
    /// True when the reward counts tests, so every judged test must run even after one failed; an
    /// all-or-nothing reward is decided by the first failure.
    /// </summary>
    public bool CountsEveryTest => Score != ScoreRule.AllOrNothing;

    /// <summary>The indices of the tests this preset judges, in the order they are given.</summary>
    /// <param name="inputLengths">Each test's input length (DeepCoder keeps the longest); null when the tests have no input.</param>
    public IReadOnlyList<int> Select(int count, IReadOnlyList<int>? inputLengths = null)
    {
        var all = Enumerable.Range(0, count);
        return Selection switch
        {
            TestSelection.FirstTen => all.Take(10).ToList(),
            // rllm sorts the indices by input length, longest first (a stable sort), and keeps 15; the order the
            // kept tests run in does not change an all-or-nothing reward.
            TestSelection.LongestFifteen when count > 15 && inputLengths is not null =>
                all.OrderByDescending(i => inputLengths[i]).Take(15).Order().ToList(),
            _ => all.ToList(),
        };
    }

    /// <summary>
    /// The reward for the judged tests' outcomes, in test order (missing ones count as failed);
    /// <paramref name="timedOut"/> says whether any of them hit its time limit.
    /// </summary>
    public double ScoreOf(IReadOnlyList<bool> passed, int total, bool timedOut = false)
    {
        ArgumentNullException.ThrowIfNull(passed);
        if (total <= 0 || (timedOut && TimeOutScoresZero)) return 0;
        var count = Enumerable.Range(0, total).Count(i => i < passed.Count && passed[i]);
        var fraction = (double)count / total;
        return Score switch
        {
            ScoreRule.Fraction => fraction,
            ScoreRule.AllOrNothing => count == total ? 1.0 : 0.0,
            ScoreRule.AboveNinetyNinePercent => fraction > 0.99 ? 1.0 : 0.0,
            _ => throw new InvalidOperationException("unknown score rule " + Score),
        };
    }
}
