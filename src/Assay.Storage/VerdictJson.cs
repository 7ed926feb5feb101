using System.Text.Json;
using System.Text.Json.Serialization;
using Assay.Core.Evaluation;

namespace Assay.Storage;

/// <summary>How verdicts are serialised in the store: snake_case fields and statuses, as in every Assay contract.</summary>
public static class VerdictJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(ProgramVerdict verdict) => JsonSerializer.Serialize(verdict, Options);

    public static ProgramVerdict? Deserialize(string json) => JsonSerializer.Deserialize<ProgramVerdict>(json, Options);
}
