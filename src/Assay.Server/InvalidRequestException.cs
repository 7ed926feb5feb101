namespace Assay.Server;

/// <summary>
/// A request the server cannot act on; its message says what is wrong and becomes the answer, with
/// <see cref="StatusCode"/> 400 (malformed), 413 (too large) or 422 (well-formed, but not something this build judges).
/// </summary>
public sealed class InvalidRequestException : Exception
{
    public InvalidRequestException(string message, int statusCode = 400) : base(message) => StatusCode = statusCode;

    public InvalidRequestException() : this("invalid request")
    {
    }

    public InvalidRequestException(string message, Exception innerException) : base(message, innerException) => StatusCode = 400;

    public int StatusCode { get; }
}
