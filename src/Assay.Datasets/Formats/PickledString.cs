using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Assay.Datasets.Formats;

/// <summary>
/// LiveCodeBench compresses large private test sets as base64(zlib(pickle(str))). Unpickling arbitrary data
/// runs code, so this reads exactly one pickled `str` (protocols 2-5: PROTO, FRAME, a unicode-string opcode,
/// MEMOIZE, STOP) and refuses anything else.
/// </summary>
public static class PickledString
{
    /// <summary>The string inside base64(zlib(pickle(str))); throws <see cref="FormatException"/> for anything else.</summary>
    public static string DecodeCompressed(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        byte[] compressed;
        try
        {
            compressed = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException ex)
        {
            throw new FormatException("not base64: " + ex.Message, ex);
        }
        using var output = new MemoryStream();
        try
        {
            using var zlib = new ZLibStream(new MemoryStream(compressed), CompressionMode.Decompress);
            zlib.CopyTo(output);
        }
        catch (InvalidDataException ex)
        {
            throw new FormatException("not zlib data: " + ex.Message, ex);
        }
        return Unpickle(output.ToArray());
    }

    /// <summary>The one `str` a pickle holds.</summary>
    public static string Unpickle(ReadOnlySpan<byte> pickle)
    {
        var at = 0;
        string? value = null;
        while (at < pickle.Length)
        {
            var opcode = pickle[at++];
            switch (opcode)
            {
                case 0x80: // PROTO n
                    Need(pickle, at, 1);
                    if (pickle[at] is < 2 or > 5) throw new FormatException($"unsupported pickle protocol {pickle[at]}");
                    at += 1;
                    break;
                case 0x95: // FRAME length: a hint for readers, no value
                    Need(pickle, at, 8);
                    at += 8;
                    break;
                case 0x8c: // SHORT_BINUNICODE (1-byte length)
                    value = ReadString(pickle, ref at, value, 1);
                    break;
                case (byte)'X': // BINUNICODE (4-byte length)
                    value = ReadString(pickle, ref at, value, 4);
                    break;
                case 0x8d: // BINUNICODE8 (8-byte length)
                    value = ReadString(pickle, ref at, value, 8);
                    break;
                case 0x94: // MEMOIZE: remembers the value for later references; there are none
                    break;
                case (byte)'.': // STOP
                    if (value is null) throw new FormatException("the pickle holds no string");
                    if (at != pickle.Length) throw new FormatException("data after the pickle's end");
                    return value;
                default:
                    throw new FormatException($"the pickle holds something other than one string (opcode 0x{opcode:x2} at byte {at - 1}); refused");
            }
        }
        throw new FormatException("the pickle has no STOP");
    }

    private static string ReadString(ReadOnlySpan<byte> pickle, ref int at, string? previous, int lengthBytes)
    {
        if (previous is not null) throw new FormatException("the pickle holds more than one value; refused");
        Need(pickle, at, lengthBytes);
        var length = lengthBytes switch
        {
            1 => pickle[at],
            4 => (long)BinaryPrimitives.ReadUInt32LittleEndian(pickle[at..]),
            _ => (long)BinaryPrimitives.ReadUInt64LittleEndian(pickle[at..]),
        };
        at += lengthBytes;
        if (length > pickle.Length - at) throw new FormatException("the pickle's string is longer than the data");
        var text = Encoding.UTF8.GetString(pickle.Slice(at, (int)length));
        at += (int)length;
        return text;
    }

    private static void Need(ReadOnlySpan<byte> pickle, int at, int bytes)
    {
        if (at + bytes > pickle.Length) throw new FormatException("the pickle ends early");
    }
}
