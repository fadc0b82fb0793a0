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

    /// <summary>The server refused a write that broke a constraint (a duplicate key, a value outside a check).</summary>
    Constraint,

    /// <summary>The item asked for does not exist (Cosmos DB's 404).</summary>
    NotFound,

    /// <summary>The store throttled the request (Cosmos DB's 429) and the client stopped retrying.</summary>
    Throttled,

    /// <summary>Anything the driver could not classify.</summary>
    Other,
}

public static class ErrorKinds
{
    public static readonly ErrorKind[] All = Enum.GetValues<ErrorKind>();

    /// <summary>The name in results: lower case, words joined by '-' (not-found).</summary>
    public static string Name(ErrorKind kind) => Names[(int)kind];

    private static readonly string[] Names = [.. All.Select(k => System.Text.RegularExpressions.Regex.Replace(k.ToString(), "(?<=[a-z])([A-Z])", "-$1").ToLowerInvariant())];
}
