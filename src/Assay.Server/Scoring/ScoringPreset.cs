using Assay.Core.Problems;

namespace Assay.Server.Scoring;

/// <summary>How a reward is read from a completion's per-test outcomes.</summary>
public enum ScoreRule
{
    /// <summary>Tests passed / tests.</summary>
    Fraction,

    /// <summary>Tests passed among the first ten / min(tests, 10) (verl's `continuous` score; every test still runs).</summary>
    FirstTenFraction,

    /// <summary>1 when every test passes, else 0 (DeepCoder, NeMo-RL).</summary>
    AllOrNothing,

    /// <summary>1 when more than 99% of the tests pass, else 0 (open-r1's `binary_code_reward`).</summary>
    AboveNinetyNinePercent,
}

/// <summary>Which tests of a stdin/stdout problem are run.</summary>
public enum TestSelection
{
    All,

    /// <summary>The 15 tests with the longest inputs (DeepCoder).</summary>
    LongestFifteen,
}

/// <summary>
/// A trainer's own reward definition, so that a reward from Assay is the reward the trainer's built-in scorer
/// would have given (without its false negatives): where the code is found in a completion, how stdout is
/// compared, which tests count, and how passes become a number.
/// </summary>
/// <param name="Name">The preset's name on the wire.</param>
public sealed record ScoringPreset(string Name, FenceRule Extraction, OutputMatch Compare, TestSelection Selection, ScoreRule Score)
{
    /// <summary>Assay's default: the last fenced block (else the whole text), tokens compared, fraction of tests passed.</summary>
    public static ScoringPreset Fraction { get; } = new("fraction", FenceRule.LastBlockElseWhole, OutputMatch.Tokens, TestSelection.All, ScoreRule.Fraction);

    /// <summary>verl's SandboxFusion scorer: ```python block else first block else no code (0); stdout exact up to trailing newlines; first-10 fraction.</summary>
    public static ScoringPreset Verl { get; } = new("verl", FenceRule.PythonElseFirstBlock, OutputMatch.Exact, TestSelection.All, ScoreRule.FirstTenFraction);

    /// <summary>rllm/DeepCoder: last fenced block else no code (0); 15 longest-input tests; all must pass.</summary>
    public static ScoringPreset DeepCoder { get; } = new("deepcoder", FenceRule.LastBlock, OutputMatch.Tokens, TestSelection.LongestFifteen, ScoreRule.AllOrNothing);

    /// <summary>NeMo-RL's code environment: first fenced block or the whole response; stripped stdout; all must pass.</summary>
    public static ScoringPreset NemoRl { get; } = new("nemo_rl", FenceRule.FirstBlockElseWhole, OutputMatch.Exact, TestSelection.All, ScoreRule.AllOrNothing);

    /// <summary>open-r1's `code_reward`: the last ```python block else no code; fraction of tests passed.</summary>
    public static ScoringPreset OpenR1Code { get; } = new("openr1_code", FenceRule.LastLanguageBlock, OutputMatch.Tokens, TestSelection.All, ScoreRule.Fraction);

    /// <summary>open-r1's `binary_code_reward`: as `openr1_code`, then 1 above 99% of tests passed, else 0.</summary>
    public static ScoringPreset OpenR1Binary { get; } = OpenR1Code with { Name = "openr1_binary", Score = ScoreRule.AboveNinetyNinePercent };

    /// <summary>All-or-nothing with Assay's extraction and comparison.</summary>
    public static ScoringPreset AllOrNothing { get; } = Fraction with { Name = "all_or_nothing", Score = ScoreRule.AllOrNothing };

    public static IReadOnlyList<ScoringPreset> All { get; } = [Fraction, Verl, DeepCoder, NemoRl, OpenR1Code, OpenR1Binary, AllOrNothing];

    public static ScoringPreset? Find(string? name) =>
        name is null ? Fraction : All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    public static string Names => string.Join(", ", All.Select(p => p.Name));

    /// <summary>
    /// The reward when only the number of tests passed is known (input/output verdicts report the count and the
    /// first failure): exact for every rule except verl's first ten with more than ten tests, where it is the
    /// fraction over all tests.
    /// </summary>
    public double ScoreOfCount(int passed, int total) => total <= 0 ? 0 : Score switch
    {
        ScoreRule.FirstTenFraction when total > 10 => (double)Math.Min(passed, total) / total,
        _ => ScoreOf(Enumerable.Range(0, total).Select(i => i < passed).ToList(), total),
    };

    /// <summary>The reward for <paramref name="passed"/> per-test outcomes (in test order; missing ones count as failed).</summary>
    public double ScoreOf(IReadOnlyList<bool> passed, int total)
    {
        ArgumentNullException.ThrowIfNull(passed);
        if (total <= 0) return 0;
        bool Passed(int i) => i < passed.Count && passed[i];
        var count = Enumerable.Range(0, total).Count(Passed);
        return Score switch
        {
            ScoreRule.Fraction => (double)count / total,
            ScoreRule.FirstTenFraction => (double)Enumerable.Range(0, Math.Min(total, 10)).Count(Passed) / Math.Min(total, 10),
            ScoreRule.AllOrNothing => count == total ? 1.0 : 0.0,
            ScoreRule.AboveNinetyNinePercent => (double)count / total > 0.99 ? 1.0 : 0.0,
            _ => throw new InvalidOperationException("unknown score rule " + Score),
        };
    }
}
