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
        Assert.Equal(0.05, TimeLimitPolicy.Default.FloorSeconds);
        Assert.Equal(0.5, (TimeLimitPolicy.Default with { FloorSeconds = 0.5 }).Calibrated(12.0));
    }
}
