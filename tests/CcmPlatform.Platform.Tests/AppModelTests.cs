using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace CcmPlatform.Platform.Tests;

/// <summary>
/// The AppHost's wiring for each infrastructure mode, checked on the app model without starting it.
/// Containers mode cannot run on machines without Docker, so this is its only test here.
/// </summary>
public sealed class AppModelTests
{
    [Fact]
    public async Task GivenContainersMode_WhenTheAppModelIsBuilt_ThenRabbitRedisAndSqlServerAreContainers_AndEveryServiceUsesSqlServerAndWaitsForThem()
    {
        var state = Path.Combine(Path.GetTempPath(), "ccm-appmodel", Guid.NewGuid().ToString("N"));
        var (builder, platform) = Compose(
            ["--Ccm:Infrastructure=Containers", $"--Ccm:StateDirectory={state}", "--Ccm:GatewayPort=18099"]);

        var resources = builder.Resources;
        Assert.IsType<RabbitMQServerResource>(resources.Single(r => r.Name == "messaging"));
        Assert.IsType<RedisResource>(resources.Single(r => r.Name == "cache"));
        var sql = Assert.IsType<ContainerResource>(resources.Single(r => r.Name == "sqlserver"));
        Assert.Contains(sql.Annotations.OfType<ContainerImageAnnotation>(), a => a.Image.Contains("mssql", StringComparison.Ordinal));
        Assert.NotEmpty(sql.Annotations.OfType<HealthCheckAnnotation>());

        foreach (var name in new[] { "migrator", "patients", "careplans", "medications", "scheduling", "billing" })
        {
            var project = (ProjectResource)resources.Single(r => r.Name == name);
            var waits = project.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).ToHashSet();
            Assert.Superset(new HashSet<string> { "messaging", "cache", "sqlserver" }, waits);
            var env = platform.EnvironmentFor(name == "migrator" ? null : name);
            Assert.Equal("SqlServer", env["Database__Provider"]);
            Assert.StartsWith("amqp://", env["ConnectionStrings__messaging"], StringComparison.Ordinal);
            if (name != "migrator")
            {
                Assert.Contains("Database=ccm_" + name, env[$"ConnectionStrings__{name}db"], StringComparison.Ordinal);
                Assert.Contains(project.Annotations.OfType<WaitAnnotation>(), w => w.Resource.Name == "migrator" && w.WaitType == WaitType.WaitForCompletion);
            }
        }
    }

    [Fact]
    public async Task GivenConnectionStrings_WhenTheAppModelIsBuilt_ThenNoInfrastructureIsStarted_AndServicesGetTheGivenServers()
    {
        var state = Path.Combine(Path.GetTempPath(), "ccm-appmodel", Guid.NewGuid().ToString("N"));
        var (builder, platform) = Compose(
        [
            $"--Ccm:StateDirectory={state}",
            "--ConnectionStrings:messaging=amqp://ccm:secret@rabbit.example.internal:5672",
            "--ConnectionStrings:cache=redis.example.internal:6379",
        ]);

        var resources = builder.Resources;
        Assert.DoesNotContain(resources, r => r.Name is "rabbitmq" or "redis" or "messaging" or "cache" or "sqlserver");
        var billing = (ProjectResource)resources.Single(r => r.Name == "billing");
        var env = platform.EnvironmentFor("billing");
        Assert.DoesNotContain(billing.Annotations.OfType<WaitAnnotation>(), w => w.Resource is ExecutableResource or ContainerResource);
        Assert.Equal("amqp://ccm:secret@rabbit.example.internal:5672", env["ConnectionStrings__messaging"]);
        Assert.Equal("redis.example.internal:6379", env["ConnectionStrings__cache"]);
    }

    [Fact]
    public async Task GivenNoDockerButTheDebianPackages_WhenTheAppModelIsBuilt_ThenRabbitAndRedisAreLoopbackExecutables()
    {
        var state = Path.Combine(Path.GetTempPath(), "ccm-appmodel", Guid.NewGuid().ToString("N"));
        var (builder, platform) = Compose(
            ["--Ccm:Infrastructure=Executables", $"--Ccm:StateDirectory={state}"]);

        var resources = builder.Resources;
        var rabbit = Assert.IsType<ExecutableResource>(resources.Single(r => r.Name == "rabbitmq"));
        var redis = Assert.IsType<ExecutableResource>(resources.Single(r => r.Name == "redis"));
        var rabbitEnv = await EnvironmentOf(rabbit);
        Assert.Equal("127.0.0.1", rabbitEnv["RABBITMQ_NODE_IP_ADDRESS"]);
        Assert.Equal("127.0.0.1", rabbitEnv["ERL_EPMD_ADDRESS"]);
#pragma warning disable CS0618 // The replacement builder API is new in 13.x; these helpers still evaluate the same callbacks.
        var redisArgs = await redis.GetArgumentValuesAsync();
#pragma warning restore CS0618
        Assert.Contains("127.0.0.1", redisArgs);
    }

    /// <summary>The AppHost's app model on a builder of the test's own, never built or started.</summary>
    private static (IDistributedApplicationBuilder Builder, CcmPlatform.AppHost.PlatformInfrastructure Platform) Compose(string[] args)
    {
        var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions { Args = args, DisableDashboard = true });
        return (builder, CcmPlatform.AppHost.PlatformAppModel.Compose(builder));
    }

    private static async Task<Dictionary<string, string>> EnvironmentOf(IResourceWithEnvironment resource)
    {
#pragma warning disable CS0618 // See above.
        var values = await resource.GetEnvironmentVariableValuesAsync(DistributedApplicationOperation.Run);
#pragma warning restore CS0618
        return values.ToDictionary(kv => kv.Key, kv => kv.Value);
    }
}
