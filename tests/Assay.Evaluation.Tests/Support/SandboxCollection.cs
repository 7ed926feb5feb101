namespace Assay.Evaluation.Tests.Support;

/// <summary>
/// Tests that run programs share one collection so they run one after another: they all use every core, and
/// running them side by side would only stretch the wall-clock backstops of each other's time limits.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SandboxCollection
{
    public const string Name = "sandbox";
}
