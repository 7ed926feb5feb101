namespace Assay.Bench;

/// <summary>A measurement could not be taken: the sandbox or a toolchain is missing, or a run did not behave.</summary>
internal sealed class BenchmarkException : Exception
{
    public BenchmarkException()
    {
    }

    public BenchmarkException(string message) : base(message)
    {
    }

    public BenchmarkException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
