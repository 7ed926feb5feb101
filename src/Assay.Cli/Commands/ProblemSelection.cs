using System.CommandLine;
using Assay.Core.Problems;

namespace Assay.Cli.Commands;

/// <summary>
/// `--limit N` and `--task-ids A,B`: run part of a benchmark (a smoke test, one failing problem). Applied after both
/// files are read, so the samples of the other problems are set aside rather than reported as unknown task ids.
/// </summary>
internal sealed record ProblemSelection(int? Limit, IReadOnlyList<string> TaskIds)
{
    public bool IsAll => Limit is null && TaskIds.Count == 0;

    /// <summary>The two options, added to a verb; <see cref="From"/> reads them back.</summary>
    public sealed class Options
    {
        public Option<int?> Limit { get; } = new("--limit") { Description = "Judge only the first N problems of the file (with --task-ids: the first N of those)." };

        public Option<string?> TaskIds { get; } = new("--task-ids") { Description = "Judge only these problems: task ids separated by commas." };

        public ProblemSelection From(ParseResult parse) => new(parse.GetValue(Limit),
            (parse.GetValue(TaskIds) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }

    /// <summary>The problem options in file order, or why the selection cannot be made (a non-positive limit, unknown ids).</summary>
    public (IReadOnlyList<Problem> Problems, string? Problem) Apply(IReadOnlyList<Problem> problems)
    {
        if (IsAll) return (problems, null);
        if (Limit is < 1) return (problems, "--limit must be at least 1");
        IEnumerable<Problem> chosen = problems;
        if (TaskIds.Count > 0)
        {
            var known = problems.Select(p => p.TaskId).ToHashSet(StringComparer.Ordinal);
            var unknown = TaskIds.Where(id => !known.Contains(id)).ToList();
            if (unknown.Count > 0)
                return (problems, $"--task-ids: {string.Join(", ", unknown.Take(5))}{(unknown.Count > 5 ? $" and {unknown.Count - 5} more" : "")} not in the problems file");
            var wanted = TaskIds.ToHashSet(StringComparer.Ordinal);
            chosen = chosen.Where(p => wanted.Contains(p.TaskId));
        }
        if (Limit is { } limit) chosen = chosen.Take(limit);
        return (chosen.ToList(), null);
    }

    /// <summary>The samples of the chosen problems, in their order.</summary>
    public static IReadOnlyList<Sample> SamplesOf(IReadOnlyList<Problem> chosen, IReadOnlyList<Sample> samples)
    {
        var ids = chosen.Select(p => p.TaskId).ToHashSet(StringComparer.Ordinal);
        return samples.Where(s => ids.Contains(s.TaskId)).ToList();
    }
}
