using Assay.Datasets.Formats;

namespace Assay.Cli.Tests;

/// <summary>`assay formats`: every format Assay reads, with the benchmarks it covers, on stdout — as the formats describe themselves.</summary>
public sealed class FormatsCommandTests
{
    [Fact]
    public async Task Formats_lists_every_problem_and_sample_format_with_its_benchmarks()
    {
        var run = await AssayCli.RunAsync("formats");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Equal("", run.Stderr);
        foreach (var f in FormatCatalog.ProblemFormats.Concat(FormatCatalog.SampleFormats))
        {
            Assert.Contains($"  {f.Name}: {string.Join(", ", f.Benchmarks)}\n", run.Stdout.ReplaceLineEndings("\n"));
            Assert.Contains("recognised by: " + f.Detection, run.Stdout);
        }
        foreach (var benchmark in (string[])["HumanEval", "HumanEval+", "MBPP+", "MBPP", "APPS", "LiveCodeBench", "MultiPL-E", "MBXP", "HumanEval-X", "CodeT"])
            Assert.Contains(benchmark, run.Stdout);
        Assert.True(run.Stdout.IndexOf("Problem formats", StringComparison.Ordinal) < run.Stdout.IndexOf("Sample formats", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Formats_json_is_the_catalog_in_detection_order()
    {
        var run = await AssayCli.RunAsync("formats", "--json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var json = run.Json();
        foreach (var (field, catalog) in (IEnumerable<(string, IReadOnlyList<FormatDescription>)>)[("problem_formats", FormatCatalog.ProblemFormats), ("sample_formats", FormatCatalog.SampleFormats)])
        {
            var rows = json.GetProperty(field).EnumerateArray().ToList();
            Assert.Equal(catalog.Select(f => f.Name), rows.Select(r => r.GetProperty("name").GetString()));
            foreach (var (row, f) in rows.Zip(catalog))
            {
                Assert.Equal(f.ExampleFields, row.GetProperty("example_fields").EnumerateArray().Select(e => e.GetString()));
                Assert.Equal(f.ExampleFields, row.GetProperty("example").EnumerateObject().Select(p => p.Name));
                Assert.Equal(f.Benchmarks, row.GetProperty("benchmarks").EnumerateArray().Select(e => e.GetString()));
                Assert.Equal(f.Detection, row.GetProperty("detected_by").GetString());
            }
        }
        Assert.Contains("mxeval", json.GetProperty("problem_formats").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task The_help_lists_the_store_and_formats_verbs()
    {
        var run = await AssayCli.RunAsync("--help");

        Assert.Matches(@"\n\s+store\s", run.Stdout);
        Assert.Matches(@"\n\s+formats\s", run.Stdout);
    }
}
