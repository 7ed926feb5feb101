using System.Text.Json;
using Assay.Datasets.Formats;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Tests;

/// <summary>
/// The descriptions `assay formats` prints live on the format enums; these hold them to the loaders: every format
/// is described, each example record is auto-detected as its own format and loads without a bad record, and the list is
/// in the order auto-detection tries the formats.
/// </summary>
public sealed class FormatCatalogTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> ProblemFormatNames => [.. FormatCatalog.ProblemFormats.Select(f => f.Name)];

    public static TheoryData<string> SampleFormatNames => [.. FormatCatalog.SampleFormats.Select(f => f.Name)];

    [Fact]
    public void Every_format_but_auto_is_described_once()
    {
        Assert.Equal(Enum.GetValues<ProblemFormat>().Where(f => f != ProblemFormat.Auto).Select(Name).Order(),
            FormatCatalog.ProblemFormats.Select(f => f.Name).Order());
        Assert.Equal(Enum.GetValues<SampleFormat>().Where(f => f != SampleFormat.Auto).Select(Name).Order(),
            FormatCatalog.SampleFormats.Select(f => f.Name).Order());
        foreach (var f in FormatCatalog.ProblemFormats.Concat(FormatCatalog.SampleFormats))
        {
            Assert.False(string.IsNullOrWhiteSpace(f.Summary), f.Name);
            Assert.False(string.IsNullOrWhiteSpace(f.Detection), f.Name);
            Assert.NotEmpty(f.Benchmarks);
            Assert.NotEmpty(f.ExampleFields);
        }
        Assert.Null(FormatCatalog.InfoOf(ProblemFormat.Auto));
    }

    [Theory]
    [MemberData(nameof(ProblemFormatNames))]
    public void A_problem_formats_example_is_detected_as_that_format_and_loads(string name)
    {
        var f = FormatCatalog.ProblemFormats.Single(p => p.Name == name);
        using var example = JsonDocument.Parse(f.Example);
        var bad = new List<BadRecord>();

        var detected = ProblemFile.Detect(example.RootElement);
        var problems = ProblemFile.Load(_dir.WriteLines(name + ".jsonl", [f.Example]), ProblemFormat.Auto, BadRecordPolicy.Stop, bad, Languages.Catalog);

        Assert.Equal(name, Name(detected));
        Assert.Single(problems);
        Assert.Empty(bad);
    }

    [Theory]
    [MemberData(nameof(SampleFormatNames))]
    public void A_sample_formats_example_is_detected_as_that_format_and_loads_against_the_problem_examples(string name)
    {
        var f = FormatCatalog.SampleFormats.Single(s => s.Name == name);
        using var example = JsonDocument.Parse(f.Example);
        // The human-eval and MBPP problem examples are the problems the sample examples answer.
        var problemLines = FormatCatalog.ProblemFormats.Where(p => p.Name is "humaneval" or "mbpp").Select(p => p.Example);
        var problems = ProblemFile.Load(_dir.WriteLines("problems.jsonl", problemLines), ProblemFormat.Auto, BadRecordPolicy.Stop, [], Languages.Catalog);
        var bad = new List<BadRecord>();

        var detected = SampleFile.Detect(example.RootElement);
        var samples = SampleFile.Load(_dir.WriteLines(name + ".jsonl", [f.Example]), problems, SampleFormat.Auto, BadRecordPolicy.Stop, bad, Languages.Catalog);

        Assert.Equal(name, Name(detected));
        Assert.NotEmpty(samples);
        Assert.Empty(bad);
    }

    [Fact]
    public void Auto_detection_order_is_the_loaders_own()
    {
        // The specific layouts first: an EvalPlus record also has human-eval's fields, an mxeval one human-eval's plus `language`.
        var order = ProblemFile.DetectionOrder.ToList();
        Assert.True(order.IndexOf(ProblemFormat.EvalPlus) < order.IndexOf(ProblemFormat.HumanEval));
        Assert.True(order.IndexOf(ProblemFormat.Mxeval) < order.IndexOf(ProblemFormat.HumanEval));
        Assert.Equal(order.Select(Name), FormatCatalog.ProblemFormats.Select(f => f.Name));
        Assert.Equal(SampleFile.DetectionOrder.Select(Name), FormatCatalog.SampleFormats.Select(f => f.Name));
    }

    private static string Name<T>(T format) where T : struct, Enum => format.ToString().ToLowerInvariant();
}
