using System.Runtime.InteropServices;

namespace Assay.Cli.Output;

/// <summary>
/// A file's (device, inode) pair: the only way to tell that two paths are one file through hard links, bind
/// mounts and symlinked directories. .NET has no API for it, so libc's stat(2) is called directly.
/// </summary>
internal readonly record struct FileIdentity(ulong Device, ulong Inode)
{
    /// <summary>The identity of an existing file or directory, or null when it cannot be read (absent, no permission).</summary>
    public static FileIdentity? Of(string path)
    {
        // struct stat is 144 bytes on x86-64 and 128 on arm64; both begin with st_dev then st_ino, 8 bytes each.
        var buffer = new byte[256];
        if (Stat(path, buffer) != 0) return null;
        return new FileIdentity(BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
    }

    /// <summary>
    /// True when <paramref name="path"/> (followed through symlinks) exists and is not a regular file or a directory:
    /// a device (`/dev/null`), a FIFO, a socket. Such a file is written in place, never replaced.
    /// </summary>
    public static bool IsSpecial(string path)
    {
        var buffer = new byte[256];
        if (Stat(path, buffer) != 0) return false;
        // st_mode follows st_dev, st_ino and (on x86-64) st_nlink: offset 24 there, 16 on arm64.
        var offset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        var kind = BitConverter.ToUInt32(buffer, offset) & 0xF000; // S_IFMT
        return kind is not (0x8000 or 0x4000); // S_IFREG, S_IFDIR
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true, CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int Stat(string path, byte[] buffer);
}
