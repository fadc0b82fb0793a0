using System.Runtime.CompilerServices;
using Benchmarks.Core.Stores;

namespace Benchmarks.Core.Flows;

/// <summary>
/// A flow written in the scenario: steps that each run one operation of a named store, in order, on the
/// instance's key, with think times and branches on a lookup's outcome (a cache hit skips the fallback).
/// The first step that branches sets the flow's hit ratio. What a lookup read (the document) is passed on:
/// a later step that can write a given value (a cache's <c>set</c>) writes it, not a generated one.
/// </summary>
public sealed class YamlFlow : Flow
{
    /// <summary>The branch target that ends the flow.</summary>
    public const string End = "end";

    private readonly StepDefinition[] _definitions;
    private RunStep[] _run = [];

    public YamlFlow(string name, IReadOnlyList<StepDefinition> steps) : base(name)
    {
        _definitions = [.. steps];
        foreach (var s in steps)
        {
            Step(s.Name, s.Store);
        }
    }

    /// <summary>The store operation <paramref name="step"/> runs (get, read, lookup...).</summary>
    public string OperationOf(FlowStep step) => _definitions[step.Index].Operation.Operation;

    public override ValueTask BindAsync(FlowEnvironment environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var firstBranch = Array.FindIndex(_definitions, d => d.OnHit is not null || d.OnMiss is not null);
        _run = [.. _definitions.Select((d, i) =>
        {
            // Steps address the instance's key: it is passed as the sequence, and a sequential distribution maps it to itself.
            var operation = environment.Store(d.Store).Driver.CreateOperation(d.Operation, environment.ByKeyIndex);
            // A lookup always says what it read (the document is passed on); only a step that branches takes a miss as an answer.
            var branches = d.OnHit is not null || d.OnMiss is not null;
            return new RunStep(Steps[i], operation, operation as IFindingOperation, operation as IMeasuringOperation,
                operation as IValueWritingOperation, d.Think, Target(d.OnHit, i), Target(d.OnMiss, i), i == firstBranch, branches);
        })];
        return ValueTask.CompletedTask;
    }

    private int Target(string? name, int from) => name switch
    {
        null => from + 1,
        End => _definitions.Length,
        _ => Array.FindIndex(_definitions, d => d.Name == name),
    };

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    public override async ValueTask RunAsync(FlowContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var i = 0;
        while (i < _run.Length)
        {
            var step = _run[i];
            if (step.Think > TimeSpan.Zero)
            {
                await context.ThinkAsync(step.Think);
            }

            var timer = context.BeginStep(step.Declared);
            Finding finding;
            try
            {
                if (step.Writing is { } writer && !context.Document.IsEmpty)
                {
                    // The write-back: the document a step of this instance read, not a generated value.
                    await writer.WriteAsync(context.Random, context.KeyIndex, context.Document, context.CancellationToken);
                    finding = new Finding(true, OperationMeasures.None);
                }
                else if (step.Finding is { } finder)
                {
                    finding = await finder.FindAsync(context.Random, context.KeyIndex, context.CancellationToken);
                    if (!finding.Found && finding.MissIsError && !step.Branches)
                    {
                        // Not a branch: a missing key is the error it would be in a mix (its charge is still recorded).
                        throw new MeasuredOperationException(new KeyNotFoundInStoreException($"key {context.Key} is not in store '{step.Declared.Store}'"), finding.Measures);
                    }
                }
                else if (step.Measuring is { } measuring)
                {
                    finding = new Finding(true, await measuring.ExecuteMeasuredAsync(context.Random, context.KeyIndex, context.CancellationToken));
                }
                else
                {
                    await step.Operation.ExecuteAsync(context.Random, context.KeyIndex, context.CancellationToken);
                    finding = new Finding(true, OperationMeasures.None);
                }
            }
            catch (Exception e)
            {
                throw context.FailStep(timer, e);
            }

            context.EndStep(timer, finding.Measures);
            if (!finding.Value.IsEmpty)
            {
                context.Document = finding.Value;
            }

            if (step.Branches)
            {
                if (step.SetsHitRatio)
                {
                    context.Hit(finding.Found);
                }

                i = finding.Found ? step.OnHit : step.OnMiss;
            }
            else
            {
                i++;
            }
        }
    }

    private sealed record RunStep(FlowStep Declared, IStoreOperation Operation, IFindingOperation? Finding, IMeasuringOperation? Measuring,
        IValueWritingOperation? Writing, TimeSpan Think, int OnHit, int OnMiss, bool SetsHitRatio, bool Branches);
}
