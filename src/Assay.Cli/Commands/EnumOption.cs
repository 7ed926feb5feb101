using System.CommandLine;
using System.CommandLine.Parsing;

namespace Assay.Cli.Commands;

/// <summary>
/// An option naming one value of <typeparamref name="T"/>, shown and typed in lowercase as the README writes it
/// (`--problems-format apps`; any case is read). System.CommandLine's own enum options list PascalCase in --help and
/// reject a bad value with the .NET type's name; the default goes into the description for the same reason.
/// </summary>
internal sealed class EnumOption<T> where T : struct, Enum
{
    private readonly T _default;

    public EnumOption(string name, string description, T defaultValue)
    {
        _default = defaultValue;
        var names = Enum.GetValues<T>().Select(Wire).ToArray();
        Option = new Option<T?>(name)
        {
            Description = $"{description} [default: {Wire(defaultValue)}]",
            HelpName = string.Join('|', names),
            CustomParser = result => Parse(name, names, result),
        };
        Option.CompletionSources.Add(names);
    }

    public Option<T?> Option { get; }

    public T Get(ParseResult parse) => parse.GetValue(Option) ?? _default;

    private static string Wire(T value) => value.ToString().ToLowerInvariant();

    private static T? Parse(string name, string[] names, ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
        foreach (var value in Enum.GetValues<T>())
        {
            if (string.Equals(Wire(value), text.Replace("-", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)) return value;
        }
        result.AddError($"{name}: `{text}` is not one of {string.Join(", ", names)}");
        return null;
    }
}
