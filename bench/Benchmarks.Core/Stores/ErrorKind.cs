namespace Benchmarks.Core.Stores;

/// <summary>Why an operation failed, as reported in results: each kind means a different fix.</summary>
public enum ErrorKind
{
    /// <summary>The client gave up waiting for the server.</summary>
    Timeout,

    /// <summary>No connection, or the connection broke.</summary>
    Connection,

    /// <summary>The server answered with an error.</summary>
    Server,

    /// <summary>The request was rejected by the server because of its content (constraint, type).</summary>
    Client,

    /// <summary>Anything the driver could not classify.</summary>
    Other,
}

public static class ErrorKinds
{
    public static readonly ErrorKind[] All = Enum.GetValues<ErrorKind>();

    public static string Name(ErrorKind kind) => kind.ToString().ToLowerInvariant();
}
