using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using Assay.Core.Evaluation;
using Assay.Core.Execution;
using Assay.Execution.Running;
using Assay.Execution.Toolchains;

namespace Assay.Execution.Judging;

/// <summary>
/// Judges Python programs with Assay's harness (python_harness*.py, see <see cref="HarnessParts"/>) in the sandbox: the tests run in a judge
/// process, the candidate's code in a worker process the judge talks to, so a candidate can neither fake its
/// results nor reach the tests. In batch mode one sandbox judges many candidates in turn, which is what makes
/// large evaluations fast on a machine where starting a process is the dominant cost.
/// </summary>
public sealed class PythonJudge
{
    /// <summary>
    /// The harness's files (embedded resources), in the order they are joined into the one program the sandbox
    /// runs: a single source keeps a batch at one interpreter start for the judge and one for its worker, as
    /// before the harness was split by concern. Later parts use names of earlier ones; the entry points come last.
    /// </summary>
    internal static readonly IReadOnlyList<string> HarnessParts =
    [
        "python_harness.py", "python_harness_data.py", "python_harness_state.py", "python_harness_worker.py",
        "python_harness_channel.py", "python_harness_matrix.py", "python_harness_judge.py", "python_harness_main.py",
    ];

    internal const string HarnessResourcePrefix = "Assay.Execution.Judging.";

    /// <summary>
    /// Candidates per sandbox at most. A sandbox's fixed cost (bubblewrap, two interpreter starts, a fresh worker's
    /// imports and warm-up: ~60 ms of CPU) was paid every 100 programs, as much again as the programs themselves;
    /// one worker serves candidates in turn whatever the batch size (each checked for tampering after it), so a
    /// larger batch changes the cost, not the verdicts.
    /// </summary>
    public const int DefaultBatchSize = 1000;

    /// <summary>The smallest batch the schedule makes while more is left (the last ones balance the cores).</summary>
    internal const int SmallestBatch = 25;

    private static readonly Lazy<string> HarnessSource = new(JoinHarness);

    /// <summary>The harness program: its parts joined, each after a comment naming it (tracebacks point into it).</summary>
    internal static string JoinHarness()
    {
        var source = new StringBuilder();
        foreach (var part in HarnessParts)
        {
            using var stream = typeof(PythonJudge).Assembly.GetManifestResourceStream(HarnessResourcePrefix + part)
                ?? throw new InvalidOperationException("python harness part missing: " + part);
            using var reader = new StreamReader(stream);
            if (source.Length > 0) source.Append("\n\n# ---------------------------------------------------------------- ").Append(part).Append("\n\n");
            source.Append(reader.ReadToEnd());
        }
        return source.ToString();
    }

    private readonly IProgramRunner _runner;
    private readonly Toolchain _python;
    private readonly int _batchSize;
    private readonly long? _memoryLimitKb;
    private long _sandboxCpuMicroseconds;
    private string? _fingerprint;

    /// <param name="memoryLimitKb">Memory of each judging sandbox, and so of each candidate judged in it (they run
    /// one at a time); null for the default (EvalPlus's 4 GB or the toolchain's, whichever is more).</param>
    public PythonJudge(IProgramRunner runner, Toolchain python, int batchSize = DefaultBatchSize, long? memoryLimitKb = null)
    {
        ArgumentNullException.ThrowIfNull(runner);
        ArgumentNullException.ThrowIfNull(python);
        _runner = runner;
        _python = python;
        _batchSize = Math.Max(1, batchSize);
        _memoryLimitKb = memoryLimitKb;
    }

    /// <summary>CPU time of every sandbox this judge has run (harness and candidates), for cost accounting.</summary>
    public TimeSpan SandboxCpuTime => TimeSpan.FromMicroseconds(Interlocked.Read(ref _sandboxCpuMicroseconds));

    /// <summary>The runner whose sandboxes this judge uses.</summary>
    public IProgramRunner Runner => _runner;

    /// <summary>
    /// Identifies the harness and interpreter in cache keys: a new harness or Python never reuses old verdicts.
    /// Computed once: every item's key includes it, and hashing the whole harness per item was a warm run's main cost.
    /// </summary>
    public string Fingerprint => _fingerprint ??= Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(HarnessSource.Value + "\0"
        + _python.Fingerprint + (_memoryLimitKb is { } memoryKb ? "\0memory:" + memoryKb : ""))))[..16];

    /// <summary>
    /// Judges every item, calling <paramref name="onVerdict"/> as verdicts arrive (from several threads).
    /// </summary>
    public Task JudgeAsync(IReadOnlyList<JudgeItem> items, JudgeIsolation isolation, Func<string, ProgramVerdict, Task> onVerdict,
        CancellationToken cancellationToken = default) => JudgeAsync(items, isolation, _batchSize, onVerdict, cancellationToken);

    /// <summary>As above, with <paramref name="batchSize"/> items per sandbox in batch mode.</summary>
    public async Task JudgeAsync(IReadOnlyList<JudgeItem> items, JudgeIsolation isolation, int batchSize, Func<string, ProgramVerdict, Task> onVerdict,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(onVerdict);
        var harness = await _runner.PrepareAsync(_python, HarnessSource.Value, cancellationToken);
        var pending = new ConcurrentQueue<IReadOnlyList<JudgeItem>>();
        var start = 0;
        foreach (var size in BatchSizes(items.Count, isolation == JudgeIsolation.Strict ? 1 : Math.Max(1, batchSize), _runner.Concurrency))
        {
            pending.Enqueue(items.Skip(start).Take(size).ToList());
            start += size;
        }

        // Work is re-queued when a batch stops early, so workers run until the queue stays empty and no one is busy.
        var busy = 0;
        async Task Worker()
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (!pending.TryDequeue(out var work))
                {
                    if (Volatile.Read(ref busy) == 0) return;
                    await Task.Delay(5, cancellationToken);
                    continue;
                }
                Interlocked.Increment(ref busy);
                try
                {
                    var rest = await RunBatchAsync(harness, work, isolation == JudgeIsolation.Strict || work.Count == 1, onVerdict, cancellationToken);
                    if (rest.Count > 0) pending.Enqueue(rest);
                }
                finally
                {
                    Interlocked.Decrement(ref busy);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, _runner.Concurrency).Select(_ => Task.Run(Worker, cancellationToken)));
    }

    /// <summary>
    /// Batch sizes that shrink towards the end (guided scheduling): at most <paramref name="largest"/>, and no more
    /// than a share of what is left per sandbox, so that the last batches are small and no core waits long for
    /// another's last batch; large batches first keep the number of sandbox starts down.
    /// </summary>
    internal static IEnumerable<int> BatchSizes(int count, int largest, int concurrency)
    {
        // Not too small either: a sandbox start costs two interpreter starts and a fresh worker's warm-up (~60 ms of
        // CPU here, against ~0.6 ms per HumanEval program in a warm worker).
        // The server asks for small batches (at most 16): a quarter of those.
        var smallest = Math.Min(SmallestBatch, Math.Max(1, largest / 4));
        for (var left = count; left > 0;)
        {
            var size = Math.Min(left, Math.Clamp(left / (2 * Math.Max(1, concurrency)), smallest, largest));
            yield return size;
            left -= size;
        }
    }

    /// <summary>Runs one batch; returns the items it did not get to (after one that must be judged alone).</summary>
    private async Task<IReadOnlyList<JudgeItem>> RunBatchAsync(PreparedProgram harness, IReadOnlyList<JudgeItem> batch, bool isolated,
        Func<string, ProgramVerdict, Task> onVerdict, CancellationToken cancellationToken)
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var input = Serialize(batch, nonce, isolated);
        // The sandbox's own limits are a backstop around the harness's per-test timers.
        var budget = batch.Sum(ItemBudget) + 2;
        var limits = _python.RunLimits(ResourceLimits.Default) with
        {
            CpuTime = TimeSpan.FromSeconds(budget),
            WallTime = TimeSpan.FromSeconds(budget * 2 + 5),
            // EvalPlus gives each program 4 GB; some reference solutions need more than a script's default.
            MemoryKb = _memoryLimitKb ?? Math.Max(_python.RunLimits(ResourceLimits.Default).MemoryKb, 4L * 1024 * 1024),
            // The results channel carries every output of every input/output test of the batch.
            MaxOutputBytes = 1L << 30,
            // The judge reports a worker the OOM killer took (signal 9: memory_limit) and starts another for the
            // next candidate; stopping the whole sandbox there would cost the batch its other candidates.
            OomKillEndsRun = false,
        };
        // Verdicts leave while the batch runs (the server answers each request when its own items are done, not
        // when their sandbox ends): records are settled on the reading thread and reported from this one, in order.
        var settled = Channel.CreateUnbounded<(int Index, JsonElement Record)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var channel = new HarnessRecords(nonce, batch, (index, record) => settled.Writer.TryWrite((index, record)));
        var reporting = Task.Run(async () =>
        {
            await foreach (var (index, record) in settled.Reader.ReadAllAsync(CancellationToken.None))
                await onVerdict(batch[index].Id, ToVerdict(record, isolated));
        }, CancellationToken.None);
        ProcessReport report;
        try
        {
            report = await _runner.RunPreparedStreamingAsync(harness, input, limits, chunk => channel.Feed(chunk.Span), cancellationToken);
        }
        finally
        {
            settled.Writer.TryComplete();
            await reporting;
        }
        channel.Complete();
        Interlocked.Add(ref _sandboxCpuMicroseconds, (long)(report.CpuTimeMs * 1000));
        var (records, duplicated) = (channel.Records, channel.Duplicated);
        // A batch that did not finish may have been stopped by the last candidate that reported, after it wrote
        // a record of its own making: that record is not trusted.
        var lastReported = channel.Finished ? -1 : batch.Select((item, i) => (item, i)).LastOrDefault(x => records.ContainsKey(x.item.Id), (null!, -1)).Item2;

        for (var index = channel.Settled; index < batch.Count; index++)
        {
            var item = batch[index];
            var trusted = isolated || (!duplicated.Contains(item.Id) && index != lastReported);
            if (trusted && records.TryGetValue(item.Id, out var record))
            {
                await onVerdict(item.Id, ToVerdict(record, isolated));
                continue;
            }
            if (isolated)
            {
                // Alone in its sandbox and no verdict: the sandbox's own report says why.
                await onVerdict(item.Id, FromSandbox(report));
                continue;
            }
            // Timed out, tampered, or took the interpreter down: judge it alone, then go on with the rest.
            await RunBatchAsync(harness, [item], true, onVerdict, cancellationToken);
            return batch.Skip(index + 1).ToList();
        }
        return [];
    }

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>The harness's stdin: a header line, then one JSON object per item (fields as python_harness.py documents them).</summary>
    private static ReadOnlyMemory<byte> Serialize(IReadOnlyList<JudgeItem> batch, string nonce, bool isolated)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        using var w = new Utf8JsonWriter(buffer, WriterOptions);
        w.WriteStartObject();
        w.WriteString("nonce", nonce);
        w.WriteBoolean("isolated", isolated);
        w.WriteEndObject();
        foreach (var item in batch)
        {
            w.Flush();
            buffer.Write("\n"u8);
            w.Reset(buffer);
            w.WriteStartObject();
            w.WriteString("id", item.Id);
            w.WriteString("program", item.Program);
            w.WriteString("setup", item.Setup);
            w.WriteStartArray("tests");
            foreach (var test in item.Tests) w.WriteStringValue(test);
            w.WriteEndArray();
            if (item.EntryPoint is { } entry) w.WriteString("entry_point", entry);
            w.WriteNumber("time_limit", item.TimeLimitSeconds);
            if (item.RebindEntryPoint) w.WriteBoolean("rebind", true);
            if (item.Calls is { } calls) Strings(w, "calls", calls);
            if (item.CallLimits is { } callLimits)
            {
                w.WriteStartArray("call_limits");
                foreach (var limit in callLimits) w.WriteNumberValue(limit);
                w.WriteEndArray();
            }
            if (item.TotalLimitSeconds > 0) w.WriteNumber("total_limit", item.TotalLimitSeconds);
            if (item.TaggedCalls) w.WriteBoolean("tagged_calls", true);
            if (item.Method is { } method) w.WriteString("method", method);
            if (item.NotNone) w.WriteBoolean("not_none", true);
            if (item.KeepGoing) w.WriteBoolean("keep_going", true);
            if (item.Matrix is { } columns)
            {
                w.WriteStartArray("matrix");
                foreach (var column in columns)
                {
                    w.WriteStartObject();
                    if (column.Call is { } call)
                    {
                        w.WriteString("call", call);
                        if (column.Tagged) w.WriteBoolean("tagged", true);
                    }
                    else
                    {
                        w.WriteString("assert", column.Assertion ?? "");
                    }
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            if (item.MaxTimeouts > 0) w.WriteNumber("max_timeouts", item.MaxTimeouts);
            if (item.LoadLimitSeconds > 0) w.WriteNumber("load_limit", item.LoadLimitSeconds);
            w.WriteEndObject();
        }
        w.Flush();
        buffer.Write("\n"u8);
        return buffer.WrittenMemory;
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var value in values) w.WriteStringValue(value);
        w.WriteEndArray();
    }

    /// <summary>CPU seconds an item may take at most: its tests (or calls) and defining the program.</summary>
    private static double ItemBudget(JudgeItem item)
    {
        if (item.Matrix is { } columns)
        {
            // A call that hangs (ignores the timer) is waited for twice, each time up to the harness's wall-clock
            // backstop (3x + 1.5 s), before it is known for a timeout: room for that on every allowed timeout.
            var hangs = item.MaxTimeouts > 0 ? Math.Min(item.MaxTimeouts, columns.Count) : columns.Count;
            return item.TimeLimitSeconds * (columns.Count + 2) + item.LoadLimitSeconds + hangs * 2 * (3 * item.TimeLimitSeconds + 1.5);
        }
        if (item.Calls is { } calls)
        {
            var sum = item.CallLimits?.Sum() ?? item.TimeLimitSeconds * calls.Count;
            return 2 * item.TimeLimitSeconds + (item.TotalLimitSeconds > 0 ? Math.Min(sum, item.TotalLimitSeconds + item.TimeLimitSeconds) : sum);
        }
        return item.TimeLimitSeconds * (item.Tests.Count + 2);
    }

    private static string? Text(JsonElement o, string name) => HarnessRecords.Text(o, name);

    private static double Number(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;

    private static ProgramVerdict ToVerdict(JsonElement record, bool isolated)
    {
        var tests = new List<TestOutcome>();
        if (record.TryGetProperty("tests", out var array) && array.ValueKind == JsonValueKind.Array)
        {
            foreach (var node in array.EnumerateArray())
            {
                if (node.ValueKind != JsonValueKind.Object) continue;
                var passed = node.TryGetProperty("passed", out var p) && p.ValueKind == JsonValueKind.True;
                tests.Add(new TestOutcome(passed, passed ? RunStatus.Ok : MapStatus(Text(node, "status")), Text(node, "error"), Number(node, "cpu_ms"),
                    node.TryGetProperty("output", out var output) ? output.GetRawText() : null));
            }
        }
        return new ProgramVerdict
        {
            Status = MapStatus(Text(record, "status")),
            Tests = tests,
            CpuTimeMs = Number(record, "cpu_ms"),
            Error = Text(record, "error") ?? (Text(record, "stopped") == "timeouts" ? "timeout allowance used up" : null),
            Isolated = isolated,
        };
    }

    private static RunStatus MapStatus(string? status) => status switch
    {
        "passed" => RunStatus.Ok,
        "failed" => RunStatus.WrongAnswer,
        "timeout" => RunStatus.TimeLimit,
        "memory" => RunStatus.MemoryLimit,
        _ => RunStatus.RuntimeError,
    };

    private static ProgramVerdict FromSandbox(ProcessReport report) => new()
    {
        Status = report.Status switch
        {
            RunStatus.TimeLimit or RunStatus.MemoryLimit or RunStatus.OutputLimit or RunStatus.SandboxError => report.Status,
            _ => RunStatus.RuntimeError,
        },
        Error = report.Status switch
        {
            RunStatus.Ok or RunStatus.RuntimeError => "the program ended before its tests finished"
                + (report.ExitCode is { } code ? $" (exit code {code})" : report.Signal is { } signal ? $" (signal {signal})" : ""),
            _ => report.Message,
        },
        CpuTimeMs = report.CpuTimeMs,
        WallTimeMs = report.WallTimeMs,
        PeakMemoryKb = report.PeakMemoryKb,
        Isolated = true,
    };
}
