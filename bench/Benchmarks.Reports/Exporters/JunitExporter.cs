using System.Globalization;
using System.Xml.Linq;
using Benchmarks.Core.Results;
using Benchmarks.Reports.Gate;

namespace Benchmarks.Reports.Exporters;

/// <summary>junit.xml for CI test tabs: one test case per SLA and one for the run's validity; failures carry measured against target.</summary>
public sealed class JunitExporter : SingleFileExporter<RunOutcome>
{
    public override string Name => "junit";

    protected override string File => OutputFileNames.Junit;

    protected override string Content(RunOutcome outcome)
    {
        using var writer = new Utf8StringWriter();
        Render(outcome.Result).Save(writer);
        return writer.ToString();
    }

    /// <summary>A StringWriter whose XML declaration says utf-8, the encoding the file is written in.</summary>
    internal sealed class Utf8StringWriter() : StringWriter(CultureInfo.InvariantCulture)
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
    }

    public static XDocument Render(RunResult r)
    {
        var cases = r.Sla.Select(v => Case($"sla.{r.Scenario.Name}", v.Threshold + (v.Implicit ? " (implicit)" : ""), r.DurationSeconds,
            v.Passed ? null : (v.Verdict == SlaOutcome.Inconclusive ? "inconclusive: " : "") +
                $"measured {N(v.Measured)} {v.Unit}, target {v.Comparison} {N(v.Target)} {v.Unit} (margin {N(v.Margin)} {v.Unit})" +
                (v.BestCase is { } best && v.Verdict == SlaOutcome.Inconclusive ? $"; without the load generator's lag and pauses as low as {N(best)} {v.Unit}" : ""))).ToList();
        var validityFailure = r.Status is RunStatus.Invalid or RunStatus.Aborted or RunStatus.Interrupted
            ? $"run {r.Status}: {string.Join("; ", r.StatusReasons.Where(s => !s.StartsWith("SLA ", StringComparison.Ordinal)))}"
            : null;
        cases.Insert(0, Case($"run.{r.Scenario.Name}", "the run is valid (generator kept up, every operation finished)", r.DurationSeconds, validityFailure));
        return Suite(r.Scenario.Name, cases);
    }

    public static XDocument Render(RunComparison c) =>
        Suite($"gate.{c.Scenario}", [.. c.Metrics.Where(m => m.Verdict != Verdicts.Info).Select(m =>
            Case($"gate.{c.Scenario}.{m.Operation}", $"{m.Operation} {m.Metric}", 0,
                m.Verdict == Verdicts.Regression ? $"{m.Metric} {N(m.Baseline)} -> {N(m.Current)} {m.Unit}: {m.Reason}" : null))]);

    private static XDocument Suite(string name, List<XElement> cases) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement("testsuites",
                new XElement("testsuite",
                    new XAttribute("name", name),
                    new XAttribute("tests", cases.Count),
                    new XAttribute("failures", cases.Count(c => c.Element("failure") is not null)),
                    new XAttribute("errors", 0),
                    new XAttribute("skipped", 0),
                    cases)));

    private static XElement Case(string classname, string name, double seconds, string? failure)
    {
        var element = new XElement("testcase", new XAttribute("classname", classname), new XAttribute("name", name),
            new XAttribute("time", seconds.ToString("0.###", CultureInfo.InvariantCulture)));
        if (failure is not null)
        {
            element.Add(new XElement("failure", new XAttribute("message", failure), failure));
        }

        return element;
    }

    private static string N(double v) => Figures.Exact(v);
}
