using Assay.Core.Execution;

namespace Assay.Core.Tests.Execution;

public sealed class TimeLimitPolicyTests
{
    [Theory]
    [InlineData(0.2, 0.05)]     // a HumanEval reference: 10 × 0.2 ms is under the floor
    [InlineData(6.1, 0.07)]     // 61 ms, rounded up to a hundredth below 0.1 s
    [InlineData(10.0, 0.1)]
    [InlineData(12.0, 0.2)]     // from 0.1 s up, tenths, as before the floor was lowered
    [InlineData(120.0, 1.2)]
    [InlineData(1804.9, 18.1)]
    public void A_calibrated_limit_is_ten_times_the_reference_rounded_up_and_never_under_the_floor(double referenceMs, double expected)
    {
        Assert.Equal(expected, TimeLimitPolicy.Default.Calibrated(referenceMs), 9);
    }

    [Fact]
    public void The_floor_is_the_measured_50_ms_and_a_user_floor_still_wins()
    {
        Assert.Null(TimeLimitPolicy.Default.FloorSeconds);
        Assert.Equal(0.05, TimeLimitPolicy.Default.Calibrated(0.2));
        Assert.Equal(0.5, (TimeLimitPolicy.Default with { FloorSeconds = 0.5 }).Calibrated(12.0));
    }

    [Fact]
    public void A_harness_floor_replaces_Assays_own_but_not_the_users_nor_a_larger_measured_limit()
    {
        // EvalPlus data: max(4 s, 10 × the reference), as EvalPlus's own max(4 s, 4 × the ground truth) never stops a
        // sample that finishes within 4 s.
        Assert.Equal(4.0, TimeLimitPolicy.Default.Calibrated(0.2, harnessFloorSeconds: 4.0));
        Assert.Equal(18.1, TimeLimitPolicy.Default.Calibrated(1804.9, harnessFloorSeconds: 4.0), 9);
        Assert.Equal(0.05, (TimeLimitPolicy.Default with { FloorSeconds = 0.05 }).Calibrated(0.2, harnessFloorSeconds: 4.0));
        Assert.Equal(4.0, TimeLimitPolicy.Default.LimitFor(TimedUnit.Test, null, null, harnessFloorSeconds: 4.0));
        Assert.Equal(2.0, TimeLimitPolicy.Default.LimitFor(TimedUnit.Test, null, null));
        // A problem's own rule, its harness floor resolved once (what per-test limits are calibrated with).
        Assert.Equal(4.0, TimeLimitPolicy.Default.ForHarness(4.0).Calibrated(0.2));
        Assert.Equal(0.05, TimeLimitPolicy.Default.ForHarness(null).Calibrated(0.2));
        Assert.Equal(0.05, (TimeLimitPolicy.Default with { FloorSeconds = 0.05 }).ForHarness(4.0).Calibrated(0.2));
    }
}
