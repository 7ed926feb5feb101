using Assay.Core.Evaluation;
using Assay.Core.Problems;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;
using Assay.Evaluation.Tests.Support;
using Assay.Execution.Running;

namespace Assay.Evaluation.Tests.Stdio;

/// <summary>A stdin/stdout problem answered in several languages in one run: each sample judged in its own language.</summary>
[Collection(SandboxCollection.Name)]
public sealed class AnyLanguageTests
{
    private static readonly Problem Sum = new("Sum/1", "python", "", null, null,
        new StdioJudge([new("1 2\n", "3\n"), new("40 2\n", "42\n")], OutputMatch.Tokens));

    [ToolchainFact(["python", "c", "cpp"])]
    public async Task Samples_are_judged_in_the_language_they_name_and_the_language_is_reported()
    {
        var (runner, why) = ProgramRunner.Create();
        Assert.True(runner is not null, why);
        using (runner)
        {
            IReadOnlyList<Sample> samples =
            [
                new("Sum/1", 0, "a, b = map(int, input().split())\nprint(a + b)\n", true),
                new("Sum/1", 1, "#include <stdio.h>\nint main(){int a,b;scanf(\"%d %d\",&a,&b);printf(\"%d\\n\",a+b);}\n", true, "c"),
                new("Sum/1", 2, "#include <iostream>\nint main(){int a,b;std::cin>>a>>b;std::cout<<a-b<<\"\\n\";}\n", true, "c++"),
            ];
            var result = await new Evaluator(runner, new NoVerdictStore(), new EvaluationOptions()).EvaluateAsync([Sum], samples);
            Assert.Equal(["python", "c", "cpp"], result.Samples.Select(s => s.Language));
            Assert.Equal([true, true, false], result.Samples.Select(s => s.Verdict.Passed));
        }
    }

    [Fact]
    public void A_sample_line_may_name_its_language_and_language_sets_the_default_for_stdio_problems()
    {
        var path = Path.Combine(Path.GetTempPath(), "assay-any-language-" + Guid.NewGuid().ToString("N") + ".jsonl");
        File.WriteAllText(path,
            "{\"task_id\": \"Sum/1\", \"solution\": \"print(1)\"}\n" +
            "{\"task_id\": \"Sum/1\", \"solution\": \"```cpp\\nint main(){}\\n```\", \"language\": \"GNU C++17\"}\n");
        try
        {
            var samples = SampleFile.Load(path, [Sum], SampleFormat.Auto, BadRecordPolicy.Stop, new List<BadRecord>(), Languages.Catalog, defaultLanguage: "java");
            Assert.Equal(["java", "cpp"], samples.Select(s => s.Language)); // Codeforces' spelling is a dataset name in cpp.yaml
            Assert.Equal("int main(){}", samples[1].Text.Trim());
        }
        finally
        {
            File.Delete(path);
        }
    }
}
