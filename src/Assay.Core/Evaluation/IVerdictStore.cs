namespace Assay.Core.Evaluation;

/// <summary>
/// Verdicts by content key: the key hashes everything that decides a verdict (program, tests, limits,
/// toolchain and harness versions), so a stored verdict is reused exactly when the same work would be repeated.
/// </summary>
public interface IVerdictStore : IAsyncDisposable
{
    /// <summary>The stored verdicts among <paramref name="keys"/>.</summary>
    Task<IReadOnlyDictionary<string, ProgramVerdict>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default);

    /// <summary>Records a verdict; it is durable once <see cref="FlushAsync"/> returns (stores also flush on their own).</summary>
    void Put(string key, ProgramVerdict verdict);

    Task FlushAsync(CancellationToken cancellationToken = default);
}

/// <summary>A store that remembers nothing (`--no-store`).</summary>
public sealed class NoVerdictStore : IVerdictStore
{
    public Task<IReadOnlyDictionary<string, ProgramVerdict>> GetManyAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyDictionary<string, ProgramVerdict>>(new Dictionary<string, ProgramVerdict>());

    public void Put(string key, ProgramVerdict verdict)
    {
    }

    public Task FlushAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
