using System.Text.RegularExpressions;
using Benchmarks.Core.Loading;
using Benchmarks.UnitTests.Cli;
using k8s;
using k8s.Models;

namespace Benchmarks.UnitTests.Agents;

/// <summary>
/// The shipped Kubernetes manifests, read by the Kubernetes client library's own YAML loader into typed objects (no cluster
/// here): the agents are an Indexed Job whose index is the agent index, they all get the start instant, the scenario and the
/// keys, and they write where the merge reads.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly string Folder = RepositoryRoot.File("deploy/kubernetes");

    private static T Single<T>(string file) => Assert.IsType<T>(Assert.Single(KubernetesYaml.LoadAllFromString(File.ReadAllText(Path.Combine(Folder, file)))));

    [GeneratedRegex(@"--agent ""\$\{JOB_COMPLETION_INDEX\}/(\d+)""")]
    private static partial Regex AgentArgument();

    [Fact]
    public void The_agents_are_an_indexed_job_whose_completion_index_is_the_agent_index_of_as_many_agents_as_it_runs()
    {
        var job = Single<V1Job>("agents-job.yaml");
        Assert.Equal("Indexed", job.Spec.CompletionMode);
        Assert.Equal(job.Spec.Parallelism, job.Spec.Completions);
        Assert.Equal(0, job.Spec.BackoffLimit);
        var pod = job.Spec.Template.Spec;
        Assert.Equal("Never", pod.RestartPolicy);
        Assert.True(pod.SecurityContext.RunAsNonRoot);
        var container = Assert.Single(pod.Containers);
        var command = string.Join(" ", container.Args);
        var agents = AgentArgument().Match(command);
        Assert.True(agents.Success, command);
        Assert.Equal(job.Spec.Completions, int.Parse(agents.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("--start-at \"${START_AT}\"", command, StringComparison.Ordinal);
        Assert.Contains(container.Env, e => e.Name == "START_AT");
        Assert.StartsWith("exec bench run /scenarios/", command, StringComparison.Ordinal);
        Assert.Contains("--out /runs/${RUN_ID}", command, StringComparison.Ordinal);
        Assert.NotNull(container.Resources.Requests["cpu"]);
        // The live metrics endpoint: the port the agent serves is the one the pod declares and its scrape annotations name.
        var port = container.Ports.Single(p => p.Name == "metrics").ContainerPort;
        Assert.Contains($"--metrics-port {port}", command, StringComparison.Ordinal);
        Assert.Equal(port.ToString(System.Globalization.CultureInfo.InvariantCulture), job.Spec.Template.Metadata.Annotations["prometheus.io/port"]);
        Assert.Equal("true", job.Spec.Template.Metadata.Annotations["prometheus.io/scrape"]);
    }

    [Fact]
    public void Agents_and_merge_share_the_scenario_the_keys_and_the_run_folder_the_other_manifests_define()
    {
        var configMap = Single<V1ConfigMap>("scenario-configmap.yaml");
        var secret = Single<V1Secret>("store-secret.yaml");
        var claim = Single<V1PersistentVolumeClaim>("run-volume.yaml");
        Assert.Contains("ReadWriteMany", claim.Spec.AccessModes);
        foreach (var job in new[] { Single<V1Job>("agents-job.yaml"), Single<V1Job>("merge-job.yaml") })
        {
            var pod = job.Spec.Template.Spec;
            var container = Assert.Single(pod.Containers);
            Assert.Equal(secret.Metadata.Name, Assert.Single(container.EnvFrom).SecretRef.Name);
            Assert.Equal(configMap.Metadata.Name, pod.Volumes.Single(v => v.ConfigMap is not null).ConfigMap.Name);
            Assert.Equal(claim.Metadata.Name, pod.Volumes.Single(v => v.PersistentVolumeClaim is not null).PersistentVolumeClaim.ClaimName);
            Assert.Contains(container.VolumeMounts, m => m.MountPath == "/runs");
            Assert.Equal("run-1", container.Env.Single(e => e.Name == "RUN_ID").Value);
        }

        Assert.StartsWith("exec bench merge /runs/${RUN_ID}", string.Join(" ", Single<V1Job>("merge-job.yaml").Spec.Template.Spec.Containers[0].Args), StringComparison.Ordinal);
        // The scenario in the ConfigMap is one bench loads, with the key the Secret holds.
        var scenario = new ScenarioLoader(TestScenarios.Catalog, name => secret.StringData.TryGetValue(name, out var value) ? value : null)
            .Load(configMap.Data["scenario.yaml"], "scenario.yaml");
        Assert.Equal("redis", scenario.Store.Kind);
        Assert.DoesNotContain("password=replace-me", scenario.Store.RedactedTarget, StringComparison.Ordinal);
    }

    [Fact]
    public void The_agent_image_is_built_in_two_stages_on_the_runtime_image_as_a_non_root_user()
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, "Dockerfile")).Where(l => !l.StartsWith('#')).ToList();
        var stages = lines.Where(l => l.StartsWith("FROM ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, stages.Count);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/sdk:10.0", stages[0], StringComparison.Ordinal);
        Assert.StartsWith("FROM mcr.microsoft.com/dotnet/runtime:10.0", stages[1], StringComparison.Ordinal);
        Assert.Contains("USER $APP_UID", lines);
        Assert.Contains(lines, l => l.StartsWith("COPY --from=build", StringComparison.Ordinal));
    }
}
