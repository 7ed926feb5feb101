using System.IO.Compression;
using System.Text;
using Assay.Datasets.Jsonl;

namespace Assay.Datasets.Tests;

/// <summary>
/// A gzip file is read whole or refused: a truncated download (cut anywhere, even between lines) or flipped bytes
/// must never be read as a shorter, complete-looking file (that would score part of a benchmark as if it were all).
/// </summary>
public sealed class GzipInputTests : IDisposable
{
    private const int Lines = 400;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal)) gzip.Write(Encoding.UTF8.GetBytes(text));
        return buffer.ToArray();
    }

    private static string Records(int from, int count) =>
        string.Concat(Enumerable.Range(from, count).Select(i => $"{{\"task_id\": \"T/{i}\", \"completion\": \"return {i} * {i} + {i % 7}\"}}\n"));

    private string Write(string name, byte[] content)
    {
        var path = _dir.PathOf(name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private static List<int> ReadAll(string path) =>
        JsonlFile.Read(path, BadRecordPolicy.Skip, new List<BadRecord>()).Select(r => r.Line).ToList();

    [Fact]
    public void An_intact_file_and_a_file_of_several_gzip_members_are_read_whole()
    {
        Assert.Equal(Lines, ReadAll(Write("whole.jsonl.gz", Gzip(Records(0, Lines)))).Count);
        // `cat a.gz b.gz > c.gz` is a valid gzip file holding both.
        var two = Gzip(Records(0, Lines / 2)).Concat(Gzip(Records(Lines / 2, Lines / 2))).ToArray();
        Assert.Equal(Lines, ReadAll(Write("two.jsonl.gz", two)).Count);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(0.5)]
    [InlineData(0.9)]
    [InlineData(0.999)]
    public void A_truncated_file_is_an_error_naming_it_not_a_short_read(double kept)
    {
        var whole = Gzip(Records(0, Lines));
        var path = Write("cut.jsonl.gz", whole[..(int)(whole.Length * kept)]);
        // Skip policy: even a caller that tolerates bad lines must not get a silently shorter file.
        var error = Assert.Throws<InvalidDataException>(() => ReadAll(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated or corrupt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_cut_only_in_its_trailer_is_refused_too()
    {
        var whole = Gzip(Records(0, Lines));
        // Every line decompresses; only the CRC and length at the end are missing.
        Assert.Throws<InvalidDataException>(() => ReadAll(Write("trailer.jsonl.gz", whole[..^4])));
    }

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.7)]
    public void Flipped_bytes_are_an_error_naming_the_file(double at)
    {
        var bytes = Gzip(Records(0, Lines));
        var i = (int)(bytes.Length * at);
        for (var j = i; j < i + 8; j++) bytes[j] ^= 0x5a;
        var path = Write("flipped.jsonl.gz", bytes);
        var error = Assert.Throws<InvalidDataException>(() => ReadAll(path));
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }
}
