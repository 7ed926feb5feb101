using System.Globalization;
using Assay.Core.Problems;

namespace Assay.Bench.ServeLoad;

/// <summary>What a completion in the load does, and the reward an honest judge gives it.</summary>
internal enum CompletionKind
{
    Correct,
    Wrong,
    InfiniteLoop,
    MemoryBomb,
}

/// <summary>One reward request's completion: distinct text per request, as in RL (no two rollouts share a cache key).</summary>
internal sealed record LoadItem(int Index, CompletionKind Kind, string Code)
{
    /// <summary>Five asserts on `solve`; the wrong solution fails exactly one of them.</summary>
    public static readonly string[] Tests = Enumerable.Range(0, 5)
        .Select(i => string.Create(CultureInfo.InvariantCulture, $"assert solve({i}) == {i * i + 1}")).ToArray();

    public double ExpectedScore => Kind switch
    {
        CompletionKind.Correct => 1.0,
        CompletionKind.Wrong => 0.8,
        _ => 0.0,
    };

    /// <summary>
    /// The mix: per 1,000 requests, <paramref name="loopsPerMille"/> infinite loops and as many memory bombs (each
    /// costs a time limit), a quarter of the rest wrong, the rest correct; shuffled with a fixed seed.
    /// </summary>
    public static IReadOnlyList<LoadItem> Mix(int count, int loopsPerMille)
    {
        var kinds = new List<CompletionKind>(count);
        var loops = count * loopsPerMille / 1000;
        for (var i = 0; i < count; i++)
        {
            kinds.Add(i < loops ? CompletionKind.InfiniteLoop
                : i < 2 * loops ? CompletionKind.MemoryBomb
                : (i % 4 == 0) ? CompletionKind.Wrong : CompletionKind.Correct);
        }
        var random = new Random(20_000);
        var shuffled = kinds.OrderBy(_ => random.Next()).ToList();
        return shuffled.Select((kind, i) => new LoadItem(i, kind, CodeFor(kind, i))).ToList();
    }

    private static string CodeFor(CompletionKind kind, int i)
    {
        var body = kind switch
        {
            CompletionKind.Correct => "    return x * x + 1\n",
            CompletionKind.Wrong => "    return 0 if x == 3 else x * x + 1\n",
            CompletionKind.InfiniteLoop => "    while True:\n        pass\n",
            CompletionKind.MemoryBomb => "    hoard = []\n    while True:\n        hoard.append(bytearray(64 * 1024 * 1024))\n",
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return string.Create(CultureInfo.InvariantCulture, $"# rollout {i}\ndef solve(x):\n{body}");
    }

    /// <summary>The same item as the evaluator's input, for the in-process comparison.</summary>
    public static Problem Problem { get; } = new("load/solve", "python", "", "solve", null, new PythonAssertJudge("", Tests, RebindEntryPoint: true));
}
