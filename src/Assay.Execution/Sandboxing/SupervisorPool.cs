using System.Collections.Concurrent;

namespace Assay.Execution.Sandboxing;

/// <summary>
/// A fixed set of warm supervisors, one per concurrent run. Each slot has its own host uid (when Assay runs
/// as root), so two concurrent candidates never share an identity outside their namespaces.
/// </summary>
internal sealed class SupervisorPool : IDisposable
{
    private readonly SupervisorProcess[] _slots;
    private readonly ConcurrentBag<int> _free = [];
    private readonly SemaphoreSlim _available;

    public SupervisorPool(string supervisorPath, int size)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _slots = new SupervisorProcess[size];
        for (var i = 0; i < size; i++)
        {
            _slots[i] = new SupervisorProcess(supervisorPath);
            _free.Add(i);
        }
        _available = new SemaphoreSlim(size, size);
    }

    public int Size => _slots.Length;

    public async Task<T> WithSlotAsync<T>(Func<int, SupervisorProcess, Task<T>> work, CancellationToken cancellationToken)
    {
        await _available.WaitAsync(cancellationToken);
        if (!_free.TryTake(out var slot)) throw new InvalidOperationException("supervisor pool out of sync");
        try
        {
            return await work(slot, _slots[slot]);
        }
        finally
        {
            _free.Add(slot);
            _available.Release();
        }
    }

    public void Dispose()
    {
        foreach (var slot in _slots) slot.Dispose();
        _available.Dispose();
    }
}
