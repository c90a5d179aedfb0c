using System.Net.Http.Headers;
using CcmPlatform.Infrastructure.Persistence;
using CcmPlatform.Infrastructure.Security;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CcmPlatform.TestSupport;

/// <summary>
/// One service in-process on a fresh SQLite file, with real RabbitMQ and Redis, its own queue
/// prefix and its own signing key. Migrations run first, as the migrator does in production.
/// </summary>
public class ServiceFactory<TProgram, TContext> : WebApplicationFactory<TProgram>
    where TProgram : class
    where TContext : ServiceDbContext
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "ccm-tests", Guid.NewGuid().ToString("N"));

    public ServiceFactory()
    {
        Directory.CreateDirectory(_directory);
    }

    public string SigningKey { get; } = DevelopmentTokens.NewKey();

    public string QueuePrefix { get; } = "t" + Guid.NewGuid().ToString("N")[..8] + "-";

    /// <summary>Extra configuration a test class needs (e.g. another service's settings).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraSettings() => [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        TestInfrastructure.ResetMassTransitLogContext();
        builder.UseEnvironment("Development");
        if (Environment.GetEnvironmentVariable("CCM_TEST_LOGS") is { Length: > 0 } logs)
        {
            Directory.CreateDirectory(logs);
            builder.ConfigureLogging(l => l.AddProvider(new FileLoggerProvider(Path.Combine(logs, $"{GetType().Name}-{QueuePrefix.TrimEnd('-')}.log"))));
        }

        foreach (var (key, value) in new Dictionary<string, string?>
                 {
                     ["ConnectionStrings:messaging"] = TestInfrastructure.Messaging,
                     ["ConnectionStrings:cache"] = TestInfrastructure.Cache,
                     ["Auth:SigningKey"] = SigningKey,
                     ["Messaging:QueuePrefix"] = QueuePrefix,
                     ["Database:Provider"] = "Sqlite",
                 }.Concat(ExtraSettings()))
        {
            builder.UseSetting(key, value);
        }

        // Every service's connection name ends in "db"; set them all to this factory's file.
        foreach (var service in new[] { "patients", "careplans", "medications", "scheduling", "billing" })
        {
            builder.UseSetting($"ConnectionStrings:{service}db", $"Data Source={Path.Combine(_directory, service + ".db")}");
        }
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        var host = base.CreateHost(builder);
        using var scope = host.Services.CreateScope();
        scope.ServiceProvider.GetRequiredService<TContext>().Database.Migrate();
        return host;
    }

    public HttpClient ClientAs(string role, Guid? rosterId = null, Guid? practiceId = null)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Create(SigningKey, rosterId ?? Guid.NewGuid(), role, practiceId));
        return client;
    }

    /// <summary>Runs against the service's own database, for asserting that bad input left nothing behind.</summary>
    public async Task<T> WithDb<T>(Func<TContext, Task<T>> query)
    {
        using var scope = Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<TContext>());
    }

    /// <summary>Waits until /health reports the bus connected, so a test never races the broker.</summary>
    public async Task WaitHealthyAsync()
    {
        var client = CreateClient();
        await TestInfrastructure.Eventually(async () => (await client.GetAsync("/health")).IsSuccessStatusCode, ok => ok, TimeSpan.FromSeconds(30), "service healthy");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the WAL for a moment; the temp folder is cleaned by the OS.
        }

        GC.SuppressFinalize(this);
    }
}
