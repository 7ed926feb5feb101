using System.Runtime.InteropServices;

namespace Assay.Execution.Sandboxing;

/// <summary>
/// Facts about this machine that every sandbox needs: where bubblewrap and the supervisor are, where
/// staged files live, and which unprivileged uids runs use. Found once; a missing piece is an explanation,
/// never an exception at run time.
/// </summary>
public sealed class SandboxHost
{
    /// <summary>First host uid given to sandboxes when Assay runs as root (one uid per concurrent slot).</summary>
    public const int SlotUidBase = 61000;

    public required string BubblewrapPath { get; init; }
    public required string SupervisorPath { get; init; }

    /// <summary>True when Assay runs as root and so drops each sandbox to a slot uid of its own.</summary>
    public required bool DropsPrivileges { get; init; }

    /// <summary>Directory for staged sources and compiled artifacts (content-addressed).</summary>
    public required string StagingRoot { get; init; }

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint GetEffectiveUid();

    public static uint EffectiveUid => GetEffectiveUid();

    private static string FileFingerprint(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream))[..16];
    }

    /// <summary>Finds what the sandbox needs, or says exactly what is missing and how to get it.</summary>
    public static SandboxHostProbe Probe(string? stagingRoot = null)
    {
        if (!OperatingSystem.IsLinux())
            return new SandboxHostProbe(null, "Assay's sandbox needs Linux (bubblewrap and namespaces).");
        var bwrap = new[] { "/usr/bin/bwrap", "/usr/local/bin/bwrap", "/bin/bwrap" }.FirstOrDefault(File.Exists);
        if (bwrap is null)
        {
            return new SandboxHostProbe(null,
                "bubblewrap is not installed: run `apt-get install bubblewrap` (Debian/Ubuntu) or `dnf install bubblewrap`, " +
                "or `./scripts/setup.sh`, which installs it.");
        }
        var supervisor = Path.Combine(AppContext.BaseDirectory, "assay-supervisor");
        if (!File.Exists(supervisor))
        {
            return new SandboxHostProbe(null,
                $"the sandbox supervisor is missing at {supervisor}: rebuild Assay (`dotnet build`), which compiles it with `cc`.");
        }
        var euid = EffectiveUid;
        stagingRoot ??= System.Environment.GetEnvironmentVariable("ASSAY_STAGING")
            ?? Path.Combine(Path.GetTempPath(), $"assay-{euid}");
        Directory.CreateDirectory(stagingRoot);
        // bubblewrap resolves every mount source by path as the sandbox's unprivileged uid, so the staging root
        // must be searchable by others; it is not listable, and what is inside has unguessable or content-hash names.
        File.SetUnixFileMode(stagingRoot, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        // The supervisor doubles as the sandbox's init, so it must be reachable from inside too: copy it next to
        // the staged files (the build output may sit under a private home directory).
        var stagedSupervisor = Path.Combine(stagingRoot, "assay-supervisor-" + FileFingerprint(supervisor));
        if (!File.Exists(stagedSupervisor))
        {
            var temp = stagedSupervisor + "." + Guid.NewGuid().ToString("N");
            File.Copy(supervisor, temp);
            File.SetUnixFileMode(temp, (UnixFileMode)0b111_101_101);
            File.Move(temp, stagedSupervisor, overwrite: true);
        }
        return new SandboxHostProbe(new SandboxHost
        {
            BubblewrapPath = bwrap,
            SupervisorPath = stagedSupervisor,
            DropsPrivileges = euid == 0,
            StagingRoot = stagingRoot,
        }, null);
    }
}

/// <summary>Either a usable host or the reason there is none.</summary>
public sealed record SandboxHostProbe(SandboxHost? Host, string? Problem);
