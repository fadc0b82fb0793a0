using System.Reflection;

namespace Benchmarks.Core.Flows;

/// <summary>
/// Finds a <see cref="Flow"/> class a scenario names by type without an assembly path: in the program that
/// runs the harness (a user's own console app calling <c>Benchmarks.Cli.Bench.RunAsync</c>) and the assemblies it references.
/// </summary>
public static class FlowTypes
{
    /// <summary>The flow type of that full name, or null.</summary>
    public static Type? Find(string fullName)
    {
        var entry = Assembly.GetEntryAssembly();
        IEnumerable<Assembly> candidates = AppDomain.CurrentDomain.GetAssemblies();
        if (entry is not null)
        {
            candidates = candidates.Concat(entry.GetReferencedAssemblies().Select(Load).OfType<Assembly>());
        }

        return candidates.Select(a => a.GetType(fullName, throwOnError: false))
            .FirstOrDefault(t => t is not null && typeof(Flow).IsAssignableFrom(t));
    }

    private static Assembly? Load(AssemblyName name)
    {
        try
        {
            return Assembly.Load(name);
        }
        catch (Exception e) when (e is FileNotFoundException or FileLoadException or BadImageFormatException)
        {
            return null; // a reference the program never needed at run time
        }
    }
}
