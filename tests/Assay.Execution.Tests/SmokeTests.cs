using Assay.Core.Execution;
using Assay.Execution.Tests.Support;

namespace Assay.Execution.Tests;

[Collection(SandboxCollection.Name)]
public sealed class SmokeTests(SandboxFixture sandbox)
{
    [SandboxFact]
    public async Task Python_hello_world_runs_in_the_sandbox()
    {
        var report = await sandbox.RunAsync("python", "print('hello')");
        Assert.Equal(RunStatus.Ok, report.Status);
        Assert.Equal("hello\n", report.Run.Stdout);
    }
}
