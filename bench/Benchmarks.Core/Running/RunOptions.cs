using Benchmarks.Core.Recording;

namespace Benchmarks.Core.Running;

/// <summary>How to run a scenario: where the files go, what overrides were applied (for the record) and who watches.</summary>
public sealed record RunOptions(string OutputDirectory, IReadOnlyList<string> Overrides, IRunProgress Progress);
