using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Assay.Core.Languages;
using Assay.Execution.Sandboxing;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

namespace Assay.Execution.Toolchains;

/// <summary>
/// The languages Assay knows, read from `toolchains/*.yaml`, and their tools found on this host (once per
/// process: resolving runs each toolchain's version command).
/// </summary>
public sealed class ToolchainCatalog
{
    private readonly Dictionary<string, ToolchainDefinition> _byName = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<ToolchainDefinition> _definitions = [];
    private readonly ConcurrentDictionary<string, Lazy<ToolchainResolution>> _resolved = new(StringComparer.OrdinalIgnoreCase);

    public ToolchainCatalog(IEnumerable<ToolchainDefinition> definitions)
    {
        foreach (var definition in definitions)
        {
            _definitions.Add(definition);
            _byName[definition.Name] = definition;
            foreach (var alias in definition.Aliases.Concat(definition.DatasetNames)) _byName.TryAdd(alias, definition);
        }
        Languages = new LanguageCatalog(_definitions.Select(d => d.Language));
    }

    /// <summary>The languages, as the loaders and judges read them.</summary>
    public LanguageCatalog Languages { get; }

    public IReadOnlyList<ToolchainDefinition> Definitions => _definitions;

    /// <summary>The toolchain files shipped next to Assay, plus any in $ASSAY_TOOLCHAINS (which win on name clashes).</summary>
    /// <remarks>
    /// Each $ASSAY_TOOLCHAINS entry (colon-separated) is a folder of `*.yaml` files or one `.yaml` file; one that does
    /// not exist is an error, not silently nothing — a typo there would otherwise judge with the shipped toolchains.
    /// </remarks>
    public static ToolchainCatalog LoadDefault()
    {
        var sources = new List<string> { Path.Combine(AppContext.BaseDirectory, "toolchains") };
        if (System.Environment.GetEnvironmentVariable("ASSAY_TOOLCHAINS") is { Length: > 0 } extra)
        {
            foreach (var entry in extra.Split(':', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Directory.Exists(entry) && !(File.Exists(entry) && entry.EndsWith(".yaml", StringComparison.Ordinal)))
                    throw new InvalidDataException($"ASSAY_TOOLCHAINS: `{entry}` is neither a folder nor a .yaml file");
                sources.Add(entry);
            }
        }
        return LoadFrom(sources);
    }

    /// <summary>Toolchains from folders of `*.yaml` files (or single files); later sources win on name clashes. Missing folders are skipped.</summary>
    public static ToolchainCatalog LoadFrom(IEnumerable<string> directories)
    {
        var byName = new Dictionary<string, ToolchainDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in directories)
        {
            IEnumerable<string> files = File.Exists(source) ? [source] : Directory.Exists(source) ? Directory.GetFiles(source, "*.yaml").Order(StringComparer.Ordinal) : [];
            foreach (var file in files)
            {
                var definition = Parse(File.ReadAllText(file), file);
                byName[definition.Name] = definition;
            }
        }
        return new ToolchainCatalog(byName.Values.OrderBy(d => d.Name, StringComparer.Ordinal));
    }

    /// <summary>Parses one toolchain file; a malformed file is an error naming the file and what is wrong.</summary>
    public static ToolchainDefinition Parse(string yaml, string origin)
    {
        // The language model's lists are read-only; YAML fills them as lists.
        var deserializer = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance)
            .WithTypeMapping<IReadOnlyList<string>, List<string>>()
            .WithTypeMapping<IReadOnlyList<EntryRename>, List<EntryRename>>()
            .WithTypeMapping<IReadOnlyList<SourceRewrite>, List<SourceRewrite>>()
            .WithTypeMapping<IReadOnlyList<SourceShim>, List<SourceShim>>()
            .Build();
        ToolchainDefinition definition;
        try
        {
            // Syntax first: the deserializer reports a syntax error as "Operation is not valid due to the current state".
            new YamlDotNet.RepresentationModel.YamlStream().Load(new StringReader(yaml));
            definition = deserializer.Deserialize<ToolchainDefinition>(yaml)
                ?? throw new InvalidDataException($"{origin}: empty toolchain file");
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new InvalidDataException($"{origin}:{ex.Start.Line}: {YamlProblems.Describe(ex)}", ex);
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this, without a position, for some malformed input (an unclosed `[`).
            throw new InvalidDataException($"{origin}: not valid YAML (an unclosed `[` or `{{`, or a stray `:`?)", ex);
        }
        if (string.IsNullOrWhiteSpace(definition.Name)) throw new InvalidDataException($"{origin}: `name` is required");
        if (string.IsNullOrEmpty(definition.DisplayName)) definition.DisplayName = definition.Name;
        if (definition.Unavailable is not null)
        {
            // Nothing to run: only the name, aliases and the reason matter.
            if (string.IsNullOrWhiteSpace(definition.Unavailable)) throw new InvalidDataException($"{origin}: `unavailable` must say why");
            return definition;
        }
        if (string.IsNullOrWhiteSpace(definition.SourceFile)) throw new InvalidDataException($"{origin}: `source_file` is required");
        if (definition.Run.Count == 0) throw new InvalidDataException($"{origin}: `run` is required");
        if (!(definition.TimeMultiplier > 0) || double.IsInfinity(definition.TimeMultiplier))
            throw new InvalidDataException($"{origin}: `time_multiplier` must be a positive number");
        if (definition.TestProgram is { } assembly) CheckTestProgram(assembly, origin);
        var names = CheckSourceNames(definition, origin);
        foreach (var command in new[] { definition.Run, definition.Compile, definition.Version })
        {
            foreach (var arg in command ?? [])
            {
                foreach (var placeholder in Placeholders(arg))
                {
                    if (placeholder != "source" && !definition.Tools.ContainsKey(placeholder) && !(command != definition.Version && names.Contains(placeholder)))
                        throw new InvalidDataException($"{origin}: `{{{placeholder}}}` names no tool in `tools` nor a `source_names` entry");
                }
            }
        }
        foreach (var placeholder in Placeholders(definition.SourceFile))
        {
            if (!names.Contains(placeholder)) throw new InvalidDataException($"{origin}: `source_file` uses `{{{placeholder}}}`, which no `source_names` entry defines");
        }
        return definition;
    }

    /// <summary>
    /// Source names are identifiers distinct from the tools, whose patterns compile and whose values and defaults use
    /// only earlier names; returns the names.
    /// </summary>
    private static HashSet<string> CheckSourceNames(ToolchainDefinition definition, string origin)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < definition.SourceNames.Count; i++)
        {
            var entry = definition.SourceNames[i];
            var where = $"`source_names[{i}]`";
            if (!System.Text.RegularExpressions.Regex.IsMatch(entry.Name, "^[A-Za-z_][A-Za-z0-9_]*$"))
                throw new InvalidDataException($"{origin}: {where} needs a `name` made of letters, digits and `_`");
            if (entry.Name == "source" || definition.Tools.ContainsKey(entry.Name) || names.Contains(entry.Name))
                throw new InvalidDataException($"{origin}: {where}: `{entry.Name}` is already a tool, `source` or an earlier name");
            for (var j = 0; j < entry.Find.Count; j++)
            {
                try
                {
                    _ = SourceNameReader.Compile(entry.Find[j].Pattern);
                }
                catch (ArgumentException ex)
                {
                    throw new InvalidDataException($"{origin}: {where}.find[{j}].pattern is not a valid regular expression: {ex.Message}", ex);
                }
            }
            foreach (var text in entry.Find.Select(f => f.Value).Append(entry.Default))
            {
                foreach (var placeholder in Placeholders(text))
                {
                    if (!names.Contains(placeholder)) throw new InvalidDataException($"{origin}: {where} uses `{{{placeholder}}}`, which is not an earlier name");
                }
            }
            names.Add(entry.Name);
        }
        return names;
    }

    /// <summary>A test-program section whose patterns do not compile, or that names an unknown transform, is refused at load.</summary>
    private static void CheckTestProgram(TestProgramAssembly assembly, string origin)
    {
        void Pattern(string? pattern, string where)
        {
            if (pattern is null) return;
            if (pattern.Length == 0) throw new InvalidDataException($"{origin}: `test_program.{where}` is empty");
            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern);
            }
            catch (ArgumentException ex)
            {
                throw new InvalidDataException($"{origin}: `test_program.{where}` is not a valid regular expression: {ex.Message}", ex);
            }
        }
        for (var i = 0; i < assembly.Entry.Count; i++)
        {
            Pattern(assembly.Entry[i].Pattern, $"entry[{i}].pattern");
            Pattern(assembly.Entry[i].AfterUnless, $"entry[{i}].after_unless");
        }
        for (var i = 0; i < assembly.Rewrites.Count; i++) Pattern(assembly.Rewrites[i].Pattern, $"rewrites[{i}].pattern");
        for (var i = 0; i < assembly.Shims.Count; i++)
        {
            Pattern(assembly.Shims[i].When, $"shims[{i}].when");
            Pattern(assembly.Shims[i].Remove, $"shims[{i}].remove");
        }
        if (assembly.Transform is { } transform && !Judging.TestProgramSource.Transforms.Contains(transform))
        {
            throw new InvalidDataException(
                $"{origin}: `test_program.transform` is `{transform}`; known: {string.Join(", ", Judging.TestProgramSource.Transforms)}");
        }
    }

    public ToolchainDefinition? Find(string nameOrAlias) => _byName.GetValueOrDefault(nameOrAlias);

    /// <summary>Finds the toolchain's tools and version on this host (cached).</summary>
    public ToolchainResolution Resolve(ToolchainDefinition definition, bool sandboxUidMustReach)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return _resolved.GetOrAdd(definition.Name, _ => new Lazy<ToolchainResolution>(() => ResolveNow(definition, sandboxUidMustReach))).Value;
    }

    private static ToolchainResolution ResolveNow(ToolchainDefinition definition, bool sandboxUidMustReach)
    {
        if (definition.Unavailable is { } reason)
            return new ToolchainResolution(definition, null, $"{definition.DisplayName} is not supported: {reason}");
        var tools = new Dictionary<string, string>();
        var mounts = new List<HostMount>();
        foreach (var (name, tool) in definition.Tools)
        {
            var found = tool.Candidates.Select(c => HostTools.FindCandidate(c, tool.Directory)).FirstOrDefault(p => p is not null);
            if (found is null)
            {
                var hint = tool.Install.Length > 0 ? $"; install it with `{tool.Install}`" : "";
                return new ToolchainResolution(definition, null,
                    $"{definition.DisplayName}: `{name}` not found (looked for {string.Join(", ", tool.Candidates)}){hint}");
            }
            if (sandboxUidMustReach && HostTools.FirstUnsearchableAncestor(found) is { } blocked)
            {
                return new ToolchainResolution(definition, null,
                    $"{definition.DisplayName}: `{name}` is at {found}, but the sandbox's unprivileged user cannot reach it " +
                    $"({blocked} is not searchable by others){(tool.Install.Length > 0 ? $"; install a system-wide copy with `{tool.Install}`" : "")}");
            }
            tools[name] = found;
            if (!found.StartsWith("/usr/", StringComparison.Ordinal))
            {
                // A tool outside /usr brings its installation directory (the parent of its bin/) into the sandbox.
                var dir = tool.Directory ? found : Path.GetDirectoryName(found)!;
                var prefix = Path.GetFileName(dir) == "bin" ? Path.GetDirectoryName(dir)! : dir;
                mounts.Add(new HostMount(prefix, prefix));
            }
        }
        foreach (var pattern in definition.Mounts)
        {
            foreach (var path in HostTools.ExpandGlob(pattern)) mounts.Add(new HostMount(path, path));
        }

        string Fill(string arg) => FillPlaceholders(arg, tools, definition.SourceFile);
        var version = definition.Version.Count > 0 ? HostTools.ReadVersion(definition.Version.Select(Fill).ToList()) : "unknown";
        var compile = definition.Compile?.Select(Fill).ToList();
        var run = definition.Run.Select(Fill).ToList();
        var fingerprint = new StringBuilder()
            .AppendJoin('\u0001', [definition.Name, version, string.Join('\u0002', compile ?? []), string.Join('\u0002', run)])
            .AppendJoin('\u0001', definition.Files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "\u0002" + f.Value))
            .AppendJoin('\u0001', definition.Env.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Key + "\u0002" + f.Value));
        // Memory signals decide verdicts (a MemoryError is memory_limit): a language's stored verdicts from before it
        // had them are judged again. Languages without them keep their fingerprint.
        if (definition.MemorySignals.Count > 0) fingerprint.Append("\u0001memory\u0002").AppendJoin('\u0002', definition.MemorySignals);
        // Source names decide the file a program is written to and the class that is run. Languages without them keep
        // their fingerprint.
        if (definition.SourceNames.Count > 0)
        {
            fingerprint.Append("\u0001names\u0002").Append(definition.SourceFile);
            foreach (var name in definition.SourceNames)
            {
                fingerprint.Append('\u0002').Append(name.Name).Append('\u0003').Append(name.Default)
                    .AppendJoin("", name.Find.Select(f => "\u0003" + f.Pattern + "\u0004" + f.Value));
            }
        }
        return new ToolchainResolution(definition, new Toolchain
        {
            Definition = definition,
            Version = version,
            CompileCommand = compile,
            RunCommand = run,
            Mounts = mounts.DistinctBy(m => m.HostPath).ToList(),
            Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(fingerprint.ToString()))),
        }, null);
    }

    private static IEnumerable<string> Placeholders(string arg)
    {
        for (var start = arg.IndexOf('{', StringComparison.Ordinal); start >= 0; start = arg.IndexOf('{', start + 1))
        {
            var end = arg.IndexOf('}', start);
            if (end < 0) yield break;
            var name = arg[(start + 1)..end];
            if (name.Length > 0 && name.All(c => char.IsLetterOrDigit(c) || c == '_')) yield return name;
        }
    }

    private static string FillPlaceholders(string arg, Dictionary<string, string> tools, string sourceFile)
    {
        var result = arg.Replace("{source}", sourceFile, StringComparison.Ordinal);
        foreach (var (name, path) in tools) result = result.Replace("{" + name + "}", path, StringComparison.Ordinal);
        return result;
    }
}
