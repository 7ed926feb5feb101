using System.Diagnostics;

namespace Assay.Execution.Toolchains;

/// <summary>Finding a toolchain's tools on this host: candidate paths, globbed mounts, whether the sandbox's user can reach them, versions.</summary>
internal static class HostTools
{
    internal static string? FindCandidate(string candidate, bool directory)
    {
        if (candidate.StartsWith('/'))
        {
            var match = ExpandGlob(candidate).Where(p => directory ? Directory.Exists(p) : File.Exists(p)).LastOrDefault();
            return match is null ? null : RealPath(match);
        }
        foreach (var dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            // Version-manager shims (pyenv, rbenv, ...) cost a shell per start and do not work inside a sandbox.
            if (dir.Contains("/shims", StringComparison.Ordinal)) continue;
            var path = Path.Combine(dir, candidate);
            if (File.Exists(path)) return RealPath(path);
        }
        return null;
    }

    /// <summary>Follows symlinks (alternatives, version managers) so the sandbox mounts the real installation.</summary>
    internal static string RealPath(string path)
    {
        var info = new FileInfo(path);
        var target = info.ResolveLinkTarget(returnFinalTarget: true);
        return target?.FullName ?? info.FullName;
    }

    /// <summary>Expands `*` in any path segment; results sorted so the last is the highest version.</summary>
    internal static List<string> ExpandGlob(string pattern)
    {
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var current = new List<string> { "/" };
        foreach (var segment in segments)
        {
            var next = new List<string>();
            foreach (var dir in current)
            {
                if (segment.Contains('*', StringComparison.Ordinal))
                {
                    if (!Directory.Exists(dir)) continue;
                    next.AddRange(Directory.EnumerateFileSystemEntries(dir, segment).Order(NaturalComparer.Instance));
                }
                else
                {
                    var path = Path.Combine(dir, segment);
                    if (Path.Exists(path)) next.Add(path);
                }
            }
            current = next;
        }
        return current;
    }

    internal static string? FirstUnsearchableAncestor(string path)
    {
        for (var dir = Path.GetDirectoryName(path); dir is not null && dir != "/"; dir = Path.GetDirectoryName(dir))
        {
            if (!File.GetUnixFileMode(dir).HasFlag(UnixFileMode.OtherExecute)) return dir;
        }
        return null;
    }

    internal static string ReadVersion(List<string> command)
    {
        try
        {
            var psi = new ProcessStartInfo(command[0])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in command.Skip(1)) psi.ArgumentList.Add(arg);
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(20_000))
            {
                process.Kill(entireProcessTree: true);
                return "unknown (version command timed out)";
            }
            var text = stdout.Result + "\n" + stderr.Result;
            return text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "unknown";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return "unknown (" + ex.Message + ")";
        }
    }

    /// <summary>Orders "go-1.9" before "go-1.19" so globs pick the newest installed version.</summary>
    private sealed class NaturalComparer : IComparer<string>
    {
        public static readonly NaturalComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            if (x is null || y is null) return string.CompareOrdinal(x, y);
            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (char.IsDigit(x[i]) && char.IsDigit(y[j]))
                {
                    var si = i; while (i < x.Length && char.IsDigit(x[i])) i++;
                    var sj = j; while (j < y.Length && char.IsDigit(y[j])) j++;
                    var a = x[si..i].TrimStart('0'); var b = y[sj..j].TrimStart('0');
                    if (a.Length != b.Length) return a.Length.CompareTo(b.Length);
                    var c = string.CompareOrdinal(a, b);
                    if (c != 0) return c;
                }
                else
                {
                    if (x[i] != y[j]) return x[i].CompareTo(y[j]);
                    i++; j++;
                }
            }
            return (x.Length - i).CompareTo(y.Length - j);
        }
    }
}
