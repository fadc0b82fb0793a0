using Benchmarks.Core.Recording;
using Benchmarks.Core.Results;
using Benchmarks.Core.Running;
using Benchmarks.UnitTests.Cli;

namespace Benchmarks.UnitTests.Running;

/// <summary>A killed run's .hlog turned into a result: exactly what the complete lines hold, nothing claimed beyond.</summary>
public sealed class HlogRecoveryTests() : TempFolderTests("bench-recovery-")
{
    [Fact]
    public void Every_complete_second_is_counted_and_a_line_cut_by_the_kill_is_left_out()
    {
        var scenario = TestScenarios.Load(TestScenarios.ValidRedis);
        var path = Path.Combine(Folder.FullName, "killed.hlog");
        using (var log = new HlogWriter(File.Create(path), new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), "test"))
        {
            for (var second = 0; second < 3; second++)
            {
                var h = Histograms.Create();
                h.RecordValueWithCount(500, 1000);   // 0.5 ms
                h.RecordValueWithCount(3000, 10);    // 3 ms: p99 stays under 1 ms
                foreach (var op in scenario.Workload.Mix.Select(m => m.Name))
                {
                    log.Append($"{op}.corrected", second, 1, h);
                    log.Append($"{op}.uncorrected", second, 1, h);
                }

                log.Append(null, second, 1, h);
                log.Append("total.uncorrected", second, 1, h);
            }
        }

        // The kill came while the fourth second was being written.
        var complete = File.ReadAllText(path);
        File.AppendAllText(path, "Tag=get.corrected,3.000,1.000,0.500,HISTFAAAA");

        var r = HlogRecovery.Rebuild(path, scenario, Folder.FullName).Result;

        Assert.Equal(RunStatus.Incomplete, r.Status);
        Assert.Equal(3 * 1010, r.Total.Count);
        Assert.Equal(3, r.DurationSeconds, 3);
        Assert.Equal(3, r.Intervals.Single(s => s.Operation == "total").Points.Count);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero), r.StartTime);
        // Latency and throughput are judged; errors are not in the log, so their SLA is named, never passed.
        Assert.Equal(["p(99) < 1ms", "get.p(99.9) < 5ms", "throughput >= 990/s"], r.Sla.Select(v => v.Threshold));
        Assert.All(r.Sla, v => Assert.True(v.Passed, v.Threshold));
        Assert.Contains(r.StatusReasons, s => s.Contains("'errors < 0.1%' not judged", StringComparison.Ordinal));
        Assert.NotEmpty(complete);
    }
}
