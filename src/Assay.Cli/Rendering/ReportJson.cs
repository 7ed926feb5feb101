using System.Text.Json;
using Assay.Core.Execution;

namespace Assay.Cli.Rendering;

/// <summary>The JSON shape of a process report: the `assay run --json` contract (documented in the README).</summary>
internal static class ReportJson
{
    public static void WriteProcess(Utf8JsonWriter w, ProcessReport r)
    {
        w.WriteString("status", r.Status.ToWireName());
        if (r.ExitCode is { } code) w.WriteNumber("exit_code", code); else w.WriteNull("exit_code");
        if (r.Signal is { } signal) w.WriteNumber("signal", signal); else w.WriteNull("signal");
        w.WriteString("stdout", r.Stdout);
        w.WriteString("stderr", r.Stderr);
        w.WriteNumber("wall_time_ms", r.WallTimeMs);
        w.WriteNumber("cpu_time_ms", r.CpuTimeMs);
        w.WriteNumber("peak_memory_kb", r.PeakMemoryKb);
        w.WriteBoolean("stdout_truncated", r.StdoutTruncated);
        w.WriteBoolean("stderr_truncated", r.StderrTruncated);
        if (r.Message is { } message) w.WriteString("message", message); else w.WriteNull("message");
        w.WriteBoolean("cached", r.Cached);
    }

    public static string Serialize(RunReport report, string language, string? version)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteString("language", language);
            if (version is null) w.WriteNull("toolchain_version"); else w.WriteString("toolchain_version", version);
            WriteProcess(w, report.Run with { Status = report.Status });
            if (report.Compile is { } compile)
            {
                w.WriteStartObject("compile");
                WriteProcess(w, compile);
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("compile");
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
