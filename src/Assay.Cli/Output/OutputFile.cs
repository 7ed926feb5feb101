using System.Text;

namespace Assay.Cli.Output;

/// <summary>
/// Writes a results file so that it is never half-written and never replaces what the user did not mean: a regular
/// file is written beside its final name under a name of its own and renamed over it at the end (an interrupted
/// run leaves the old file or none); a symlink is written through, to its target, as a shell's `>` does; a device
/// or FIFO (`-o /dev/null`, a pipe) is written in place — renaming over one would replace `/dev/null` itself.
/// </summary>
internal static class OutputFile
{
    public static async Task WriteAsync(string path, Func<TextWriter, Task> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        var target = Path.GetFullPath(path);
        if (new FileInfo(target).LinkTarget is not null && File.ResolveLinkTarget(target, returnFinalTarget: true) is { } linked) target = linked.FullName;
        if (FileIdentity.IsSpecial(target))
        {
            await using var special = new StreamWriter(new FileStream(target, FileMode.Open, FileAccess.Write, FileShare.ReadWrite), new UTF8Encoding(false));
            await write(special);
            return;
        }
        var directory = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(directory);
        // A name of this run's own: two runs given the same --out never write into one temporary file.
        var temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var file = new StreamWriter(new FileStream(temp, FileMode.CreateNew, FileAccess.Write), new UTF8Encoding(false)))
            {
                await write(file);
            }
            cancellationToken.ThrowIfCancellationRequested();
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
