namespace Benchmarks.Core.Parsing;

/// <summary>Where a value came from: a file position, or a command-line override.</summary>
public sealed record SourceLocation(string Source, int Line, int Column)
{
    public static SourceLocation CommandLine(string what) => new(what, 0, 0);

    public override string ToString() => Line > 0 ? $"{Source}:{Line}:{Column}" : Source;
}

/// <summary>One problem in a scenario, reported with its place and a hint on what to do.</summary>
public sealed record ScenarioError(SourceLocation Location, string Message, string? Hint = null)
{
    public override string ToString() =>
        Hint is null ? $"{Location}: error: {Message}" : $"{Location}: error: {Message} (hint: {Hint})";
}

/// <summary>Collects every problem so that a file is reported whole, not one error per attempt.</summary>
public sealed class ScenarioErrors
{
    private readonly List<ScenarioError> _errors = [];

    public IReadOnlyList<ScenarioError> All => _errors;

    /// <summary>Nodes that came from <c>--set</c>: their errors point at the override, not at a file line.</summary>
    internal Dictionary<YamlDotNet.RepresentationModel.YamlNode, string> Overrides { get; } = new(ReferenceEqualityComparer.Instance);

    public bool Any => _errors.Count > 0;

    public void Add(SourceLocation where, string message, string? hint = null) =>
        _errors.Add(new ScenarioError(where, message, hint));
}

/// <summary>Thrown once with all the problems of a scenario; the CLI turns it into exit code 2.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException(IReadOnlyList<ScenarioError> errors)
        : base(string.Join(Environment.NewLine, errors)) => Errors = errors;

    public ScenarioException() : this([]) { }

    public ScenarioException(string message) : base(message) => Errors = [];

    public ScenarioException(string message, Exception inner) : base(message, inner) => Errors = [];

    public IReadOnlyList<ScenarioError> Errors { get; }
}
