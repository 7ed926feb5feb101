using Assay.Core.Execution;

namespace Assay.Execution.Sandboxing;

/// <summary>A host path made visible inside the sandbox.</summary>
/// <param name="HostPath">Absolute path on the host.</param>
/// <param name="SandboxPath">Absolute path inside the sandbox.</param>
/// <param name="Writable">Mounted read-write (only ever a run's own compile directory).</param>
public sealed record HostMount(string HostPath, string SandboxPath, bool Writable = false);

/// <summary>One program to start inside a fresh sandbox.</summary>
public sealed record SandboxRequest
{
    /// <summary>Program and arguments as seen inside the sandbox.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>The complete environment: nothing of Assay's own environment leaks in.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Toolchain directories beyond the system ones every sandbox gets.</summary>
    public IReadOnlyList<HostMount> Mounts { get; init; } = [];

    /// <summary>
    /// A host directory mounted read-write as the working directory (compilation writes its output there).
    /// When null the working directory is a fresh size-limited tmpfs.
    /// </summary>
    public string? WritableWorkDir { get; init; }

    /// <summary>Host files placed read-only into the working directory, by name.</summary>
    public IReadOnlyList<(string HostPath, string Name)> WorkDirFiles { get; init; } = [];

    public ResourceLimits Limits { get; init; } = ResourceLimits.Default;

    public ReadOnlyMemory<byte> Stdin { get; init; }

    /// <summary>When set, stdout is handed here as it arrives (from the reading thread) and is not kept in the result.</summary>
    public Action<ReadOnlyMemory<byte>>? OnStdout { get; init; }

    /// <summary>Limit the address space (RLIMIT_AS) as well; only for hosts without cgroups.</summary>
    public bool LimitAddressSpace { get; init; }
}

/// <summary>The raw result of a sandboxed process: the facts plus its captured output.</summary>
public sealed record SandboxResult(Termination Termination, byte[] Stdout, byte[] Stderr, int CgroupVersion);
