using Xunit.Abstractions;
using Xunit.Sdk;

namespace Assay.Execution.Tests.Adversarial;

/// <summary>
/// Runs the battery's tests in name order with the final host check last, so that check sees whatever the
/// whole battery may have left behind.
/// </summary>
public sealed class BatteryOrderer : ITestCaseOrderer
{
    public const string TypeName = "Assay.Execution.Tests.Adversarial.BatteryOrderer";
    public const string AssemblyName = "Assay.Execution.Tests";

    public IEnumerable<TTestCase> OrderTestCases<TTestCase>(IEnumerable<TTestCase> testCases) where TTestCase : ITestCase =>
        testCases
            .OrderBy(t => t.TestMethod.Method.Name == AdversarialBattery.FinalCheckName ? 1 : 0)
            .ThenBy(t => t.TestMethod.Method.Name, StringComparer.Ordinal);
}
