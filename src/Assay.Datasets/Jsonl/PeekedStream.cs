namespace Assay.Datasets.Jsonl;

/// <summary>
/// A read-only stream that gives back the bytes already read from a stream that cannot seek (a pipe, stdin,
/// `&lt;(cat f)`) before the rest of it: the gzip magic is peeked without needing to rewind.
/// </summary>
internal sealed class PeekedStream(byte[] peeked, Stream inner) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position < peeked.Length)
        {
            var n = Math.Min(buffer.Length, peeked.Length - _position);
            peeked.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }
        return inner.Read(buffer);
    }

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) inner.Dispose();
        base.Dispose(disposing);
    }
}
