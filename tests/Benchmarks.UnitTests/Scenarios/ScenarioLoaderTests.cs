using Benchmarks.UnitTests.Cli;
using Benchmarks.Core.Executors;
using Benchmarks.Core.Parsing;
using Benchmarks.Core.Thresholds;
using Benchmarks.Core.Workload;
using Benchmarks.Stores.Redis;

namespace Benchmarks.UnitTests.Scenarios;

public sealed class ScenarioLoaderTests
{
    [Fact]
    public void A_valid_scenario_binds_every_section()
    {
        var s = TestScenarios.Load(TestScenarios.ValidRedis);
        Assert.Equal("t", s.Name);
        Assert.Equal("redis", s.Store.Kind);
        Assert.Equal(1000, s.Data.Keys);
        Assert.Equal(ValueKind.FeatureVector, s.Data.Value.Kind);
        Assert.Equal(16, s.Data.Value.Dimensions);
        Assert.Equal(KeyDistributionKind.Zipfian, s.Workload.Distribution.Kind);
        Assert.Equal(0.99, s.Workload.Distribution.Theta);
        Assert.Equal(["get", "set"], s.Workload.Mix.Select(m => m.Name));
        var executor = Assert.IsType<ConstantArrivalRate>(s.Load.Executor);
        Assert.Equal(1000, executor.RatePerSecond);
        Assert.Equal(TimeSpan.FromSeconds(10), executor.Duration);
        Assert.Equal(64, executor.Limits.MaxInFlight);
        Assert.Equal(4, s.Sla.Count);
        Assert.Equal("get", s.Sla[1].Operation);
        Assert.Equal(99.9, s.Sla[1].Percentile);
    }

    [Fact]
    public void Unknown_keys_are_reported_with_position_and_a_suggestion()
    {
        var errors = TestScenarios.Errors(TestScenarios.ValidRedis.Replace("maxInFlight: 64", "maxInFligt: 64", StringComparison.Ordinal));
        var e = Assert.Single(errors);
        Assert.Contains("unknown key 'load.maxInFligt'", e.Message, StringComparison.Ordinal);
        Assert.Equal("did you mean 'maxInFlight'?", e.Hint);
        Assert.Equal(9, e.Location.Line);
        Assert.True(e.Location.Column > 1);
        Assert.StartsWith("test.yaml:9:", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_of_a_file_is_reported_at_once()
    {
        const string yaml = """
            name: bad
            colour: blue
            store: { kind: redis }
            workload:
              distribution: zipfian(1.5)
              mix: []
            load: { executor: constant-arrival-rate, rate: -5/s, duration: 10 }
            sla:
              - "p(101) < 1ms"
              - "p(99) < 1 parsec"
            """;
        var errors = TestScenarios.Errors(yaml);
        var text = string.Join("\n", errors);
        Assert.Contains("unknown key 'colour'", text, StringComparison.Ordinal);
        Assert.Contains("outside (0, 1)", text, StringComparison.Ordinal);
        Assert.Contains("the operation mix is empty", text, StringComparison.Ordinal);
        Assert.Contains("rate '-5/s' is negative", text, StringComparison.Ordinal);
        Assert.Contains("'10' is not a duration", text, StringComparison.Ordinal);
        Assert.Contains("percentile '101'", text, StringComparison.Ordinal);
        Assert.Contains("'1 parsec'", text, StringComparison.Ordinal);
        Assert.Equal(7, errors.Count);
        Assert.All(errors, e => Assert.True(e.Location.Line > 0, e.ToString()));
        Assert.All(errors, e => Assert.False(string.IsNullOrEmpty(e.Hint), e.ToString()));
    }

    [Theory]
    [InlineData("rate: 1000/s", "rate: fast", "'fast' is not a rate")]
    [InlineData("rate: 1000/s", "rate: 0/s", "a rate of zero")]
    [InlineData("duration: 10s", "duration: 10 light-years", "is not a duration")]
    [InlineData("maxInFlight: 64", "maxInFlight: 0", "0 is out of range")]
    [InlineData("keys: 1000", "keys: -3", "-3 is out of range")]
    [InlineData("\"p(99) < 1ms\"", "\"p(0) < 1ms\"", "not in (0, 100]")]
    [InlineData("\"p(99) < 1ms\"", "\"put.p(99) < 1ms\"", "'put' is not an operation of the mix")]
    [InlineData("\"errors < 0.1%\"", "\"errors < 150%\"", "percentage from 0% to 100%")]
    [InlineData("{ op: get, weight: 95 }", "{ op: gett, weight: 95 }", "'gett' is not an operation of store kind 'redis'")]
    [InlineData("{ op: get, weight: 95 }", "{ op: get, weight: 0 }", "a weight must be above zero")]
    [InlineData("kind: redis", "kind: mongo", "unknown store kind 'mongo'")]
    [InlineData("executor: constant-arrival-rate", "executor: closed", "'closed' is not one of")]
    [InlineData("zipfian(0.99)", "pareto(1)", "not a key distribution")]
    public void Each_malformed_value_gets_its_own_message(string valid, string broken, string expected)
    {
        var errors = TestScenarios.Errors(TestScenarios.ValidRedis.Replace(valid, broken, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void An_inconclusive_window_is_measured_again_once_unless_the_scenario_says_otherwise()
    {
        Assert.Equal(1, TestScenarios.Load(TestScenarios.ValidRedis).Load.RemeasureInconclusive);
        var never = TestScenarios.ValidRedis.Replace("maxInFlight: 64", "maxInFlight: 64, remeasureInconclusive: 0", StringComparison.Ordinal);
        Assert.Equal(0, TestScenarios.Load(never).Load.RemeasureInconclusive);
        var negative = TestScenarios.ValidRedis.Replace("maxInFlight: 64", "maxInFlight: 64, remeasureInconclusive: -1", StringComparison.Ordinal);
        var e = Assert.Single(TestScenarios.Errors(negative));
        Assert.Contains("remeasureInconclusive", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_named_twice_under_another_tag_is_refused_at_its_line()
    {
        // YAML sees `!!str registry:` beside `registry:` as two keys (the mutation tests found the loader crashing on it).
        var text = File.ReadAllText(RepositoryRoot.File("scenarios/flows/model-serving.yaml"));
        var line = text.Split('\n').Select((l, i) => (l, i)).First(x => x.l.StartsWith("  artifacts:", StringComparison.Ordinal)).i + 1;
        var twice = text.Replace("  artifacts:", "  !!str registry: { kind: postgres }\n  artifacts:", StringComparison.Ordinal);
        var e = Assert.Single(TestScenarios.Errors(twice), e => e.Message.Contains("given twice", StringComparison.Ordinal));
        Assert.Contains("registry", e.Message, StringComparison.Ordinal);
        Assert.Equal(line, e.Location.Line);
    }

    [Fact]
    public void Yaml_syntax_errors_point_at_the_line()
    {
        var errors = TestScenarios.Errors("name: x\nstore: { kind: redis\nload: [");
        var e = Assert.Single(errors);
        Assert.Contains("YAML syntax", e.Message, StringComparison.Ordinal);
        Assert.True(e.Location.Line >= 2);
    }

    [Fact]
    public void Executor_specific_keys_are_checked_against_the_executor()
    {
        var yaml = TestScenarios.ValidRedis.Replace("executor: constant-arrival-rate, rate: 1000/s", "executor: constant-concurrency, concurrency: 8", StringComparison.Ordinal);
        var errors = TestScenarios.Errors(yaml);
        Assert.Contains(errors, e => e.Message.Contains("'maxInFlight' does not apply to executor constant-concurrency", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("load.concurrency", StringComparison.Ordinal) == false);
    }

    [Fact]
    public void Environment_variables_are_substituted_with_defaults()
    {
        var yaml = TestScenarios.ValidRedis.Replace("connection: embedded", "connection: \"${REDIS:-embedded}\"", StringComparison.Ordinal)
            .Replace("rate: 1000/s", "rate: ${RATE}", StringComparison.Ordinal);
        var s = TestScenarios.Load(yaml, env: n => n == "RATE" ? "2500/s" : null);
        Assert.Equal(2500, s.Load.Executor.TargetRatePerSecond);
        Assert.True(((RedisSettings)s.Store.Settings).IsEmbedded);
    }

    [Fact]
    public void A_missing_environment_variable_is_an_error_at_its_position()
    {
        var yaml = TestScenarios.ValidRedis.Replace("rate: 1000/s", "rate: ${RATE}", StringComparison.Ordinal);
        var e = Assert.Single(TestScenarios.Errors(yaml));
        Assert.Contains("environment variable RATE is not set", e.Message, StringComparison.Ordinal);
        Assert.Equal(9, e.Location.Line);
        Assert.Contains("${RATE:-value}", e.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_replace_values_add_keys_and_index_lists()
    {
        var s = TestScenarios.Load(TestScenarios.ValidRedis, ["load.rate=8000/s", "data.keyPrefix=x:", "workload.mix.1.weight=50"]);
        Assert.Equal(8000, s.Load.Executor.TargetRatePerSecond);
        Assert.Equal("x:", s.Data.KeyPrefix);
        Assert.Equal(50, s.Workload.Mix[1].Weight);
    }

    [Fact]
    public void A_bad_override_names_the_override_not_a_file_line()
    {
        var errors = TestScenarios.Errors(TestScenarios.ValidRedis, ["load.rat=8000/s", "load.rate=lots"]);
        Assert.Contains(errors, e => e.Location.Source == "--set load.rat=8000/s" && e.Message.Contains("unknown key 'load.rat'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Location.Source == "--set load.rate=lots" && e.Message.Contains("'lots' is not a rate", StringComparison.Ordinal));
    }

    [Fact]
    public void Operation_count_sets_the_duration_of_a_constant_rate_run()
    {
        var s = TestScenarios.Noop("{ executor: constant-arrival-rate, rate: 2000/s, operations: 1000 }");
        Assert.Equal(TimeSpan.FromSeconds(0.5), s.Load.MeasuredDuration);
        Assert.Equal(1000, s.Load.OperationLimit);
    }

    [Fact]
    public void Ramping_needs_stages_and_sums_their_durations()
    {
        var s = TestScenarios.Noop("{ executor: ramping-arrival-rate, startRate: 0, stages: [ { target: 100/s, duration: 2s }, { target: 100/s, duration: 3s } ] }");
        Assert.Equal(TimeSpan.FromSeconds(5), s.Load.MeasuredDuration);
        var errors = TestScenarios.Errors("name: r\nstore: { kind: noop }\nworkload: { mix: [ { op: noop } ] }\nload: { executor: ramping-arrival-rate, stages: [] }");
        Assert.Contains(errors, e => e.Message.Contains("no stages", StringComparison.Ordinal));
    }

    [Fact]
    public void Redis_operation_arguments_are_validated_by_the_driver()
    {
        var yaml = TestScenarios.ValidRedis.Replace("{ op: set, weight: 5 }", "{ op: pipeline, weight: 5, commands: 0, of: mget }", StringComparison.Ordinal);
        var errors = TestScenarios.Errors(yaml);
        Assert.Contains(errors, e => e.Message.Contains("commands: 0 is out of range", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.Contains("'mget' cannot be pipelined", StringComparison.Ordinal));
    }

    [Fact]
    public void A_bad_redis_connection_string_is_an_input_error_that_does_not_echo_secrets()
    {
        var yaml = TestScenarios.ValidRedis.Replace("connection: embedded", "connection: \"host:6379,password=hunter2,nosuchoption=1\"", StringComparison.Ordinal);
        var e = Assert.Single(TestScenarios.Errors(yaml));
        Assert.Contains("not a valid Redis connection string", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", e.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_redacted_target_never_holds_the_password()
    {
        var yaml = TestScenarios.ValidRedis.Replace("connection: embedded", "connection: \"cache.example:6380,password=hunter2,ssl=true\"", StringComparison.Ordinal);
        var s = TestScenarios.Load(yaml);
        Assert.Equal("cache.example:6380 (tls)", s.Store.RedactedTarget);
    }

    [Fact]
    public void Sla_thresholds_parse_into_metric_target_and_unit()
    {
        var s = TestScenarios.Load(TestScenarios.ValidRedis);
        Assert.Equal(SlaMetric.Percentile, s.Sla[0].Metric);
        Assert.Equal(1.0, s.Sla[0].Target);
        Assert.Equal(SlaMetric.Throughput, s.Sla[2].Metric);
        Assert.Equal(990, s.Sla[2].Target);
        Assert.True(s.Sla[3].TargetIsRatio);
    }
}

public sealed class SecretRedactionTests
{
    [Theory]
    [InlineData("store.connection=host:6380,password=x", "store.connection=(redacted)")]
    [InlineData("store.password=hunter2", "store.password=(redacted)")]
    [InlineData("load.rate=5000/s", "load.rate=5000/s")]
    [InlineData("data.keys=100", "data.keys=100")]
    public void Secret_overrides_are_recorded_without_their_value(string setting, string recorded) =>
        Assert.Equal(recorded, SecretRedaction.Override(setting));
}
