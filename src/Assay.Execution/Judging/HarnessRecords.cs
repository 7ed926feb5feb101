using System.Text.Json;

namespace Assay.Execution.Judging;

/// <summary>
/// The Python harness's results channel, read as the sandbox writes it. The harness writes one record per item,
/// in the batch's order, each tagged with the batch's nonce and preceded by a "begin" record naming the item, then a
/// "done" record. A record is settled — handed to <c>onSettled</c> while the batch still runs — once the harness
/// has begun the next item (or is done): a candidate that stops the sandbox right after its own record never gets
/// that record trusted, as when the whole output was read at the end. Anything out of order or written twice stops
/// settling for the rest of the batch; what is left is decided when the sandbox has ended (<see cref="PythonJudge"/>).
/// </summary>
internal sealed class HarnessRecords
{
    private readonly string _nonce;
    private readonly IReadOnlyList<JudgeItem> _batch;
    private readonly Action<int, JsonElement> _onSettled;
    private readonly MemoryStream _partialLine = new();
    private int _next;
    private int _held = -1;
    private bool _broken;

    public HarnessRecords(string nonce, IReadOnlyList<JudgeItem> batch, Action<int, JsonElement> onSettled)
    {
        _nonce = nonce;
        _batch = batch;
        _onSettled = onSettled;
    }

    /// <summary>Records by item id (the first of each).</summary>
    public Dictionary<string, JsonElement> Records { get; } = new(StringComparer.Ordinal);

    /// <summary>Ids with more than one record: one of them was forged.</summary>
    public HashSet<string> Duplicated { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether the harness wrote its "done" record.</summary>
    public bool Finished { get; private set; }

    /// <summary>How many items, from the batch's start, were settled while it ran.</summary>
    public int Settled { get; private set; }

    /// <summary>Takes the next piece of the channel (called in order, from one thread at a time).</summary>
    public void Feed(ReadOnlySpan<byte> chunk)
    {
        while (chunk.Length > 0)
        {
            var newline = chunk.IndexOf((byte)'\n');
            if (newline < 0)
            {
                _partialLine.Write(chunk);
                return;
            }
            if (_partialLine.Length == 0)
            {
                OnLine(chunk[..newline]);
            }
            else
            {
                _partialLine.Write(chunk[..newline]);
                OnLine(_partialLine.GetBuffer().AsSpan(0, (int)_partialLine.Length));
                _partialLine.SetLength(0);
            }
            chunk = chunk[(newline + 1)..];
        }
    }

    /// <summary>The channel has ended: a last line without its newline is read as well.</summary>
    public void Complete()
    {
        if (_partialLine.Length == 0) return;
        OnLine(_partialLine.GetBuffer().AsSpan(0, (int)_partialLine.Length));
        _partialLine.SetLength(0);
    }

    private void OnLine(ReadOnlySpan<byte> line)
    {
        if (line.Length == 0 || line[0] != (byte)'{') return;
        JsonElement record;
        try
        {
            // One copy of the line, owned by the element (a document and its clone would be two).
            var reader = new Utf8JsonReader(line);
            record = JsonElement.ParseValue(ref reader);
            if (reader.Read()) return; // more after the value: not a record of the harness's
        }
        catch (JsonException)
        {
            return;
        }
        // Only the harness knows the nonce; anything else on this channel is ignored.
        if (record.ValueKind != JsonValueKind.Object || Text(record, "nonce") != _nonce) return;
        if (Text(record, "id") is { } id)
        {
            if (!Records.TryAdd(id, record))
            {
                Duplicated.Add(id);
                _broken = true;
                return;
            }
            if (_broken) return;
            if (_next >= _batch.Count || _batch[_next].Id != id)
            {
                _broken = true;
                return;
            }
            if (_held >= 0) Settle(_held);
            _held = _next++;
        }
        else if (Text(record, "begin") is { } begins)
        {
            // The harness has moved on to the next item: the one before it is over.
            if (!_broken && _held >= 0 && _next < _batch.Count && _batch[_next].Id == begins)
            {
                Settle(_held);
                _held = -1;
            }
        }
        else if (record.TryGetProperty("done", out _))
        {
            Finished = true;
            if (!_broken && _held >= 0) Settle(_held);
            _held = -1;
        }
    }

    private void Settle(int index)
    {
        Settled = index + 1;
        _onSettled(index, Records[_batch[index].Id]);
    }

    internal static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
