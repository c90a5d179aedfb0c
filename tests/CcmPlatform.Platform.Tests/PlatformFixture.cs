using System.Net.Http.Headers;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CcmPlatform.Cli;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CcmPlatform.Platform.Tests;

/// <summary>
/// The whole platform under Aspire — RabbitMQ and Redis as local executables, SQLite files in a
/// temp folder, the gateway on a free loopback port — started once for the collection.
/// </summary>
public sealed class PlatformFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    public DistributedApplication App { get; private set; } = null!;

    public string StateDirectory { get; } = Path.Combine(Path.GetTempPath(), "ccm-platform-tests", Guid.NewGuid().ToString("N"));

    public string SigningKey { get; } = DevelopmentTokens.NewKey();

    public int GatewayPort { get; } = FreePort();

    public Uri Gateway => new($"http://localhost:{GatewayPort}");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(StateDirectory);
        await File.WriteAllTextAsync(Path.Combine(StateDirectory, "signing.key"), SigningKey);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CcmPlatform_AppHost>(
        [
            "--Ccm:Infrastructure=Executables",
            $"--Ccm:StateDirectory={StateDirectory}",
            $"--Ccm:GatewayPort={GatewayPort}",
            $"--Ccm:SigningKey={SigningKey}",

            // Two CarePlans replicas: concurrent plan edits must stay safe across processes.
            "--Ccm:CarePlansReplicas=2",
        ]);
        // Resource logs arrive at Information; keep the test output to what needs attention.
        builder.Services.AddLogging(logging => logging.AddFilter("CcmPlatform.AppHost.Resources", LogLevel.Warning).AddFilter("Aspire", LogLevel.Warning));
        if (Environment.GetEnvironmentVariable("CCM_TEST_LOGS") is { Length: > 0 } logs)
        {
            // Every resource's console output, for reading a failure after the run.
            Directory.CreateDirectory(logs);
            builder.Services.AddLogging(logging => logging.AddProvider(new FileLoggerProvider(Path.Combine(logs, "platform-resources.log")))
                .AddFilter<FileLoggerProvider>("CcmPlatform.AppHost.Resources", LogLevel.Information));
        }

        App = await builder.BuildAsync();
        using var cts = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(cts.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("gateway", cts.Token);
        foreach (var service in new[] { "patients", "careplans", "medications", "scheduling", "billing" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(service, cts.Token);
        }
    }

    public async Task DisposeAsync()
    {
        await App.StopAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // RabbitMQ may still be flushing its files; the temp folder is the OS's to clean.
        }
    }

    /// <summary>A non-admin caller needs a roster <paramref name="subject"/> or a <paramref name="practiceId"/> claim (docs/adr/0005).</summary>
    public HttpClient Client(string? role = null, Guid? subject = null, Guid? practiceId = null)
    {
        var client = new HttpClient { BaseAddress = Gateway, Timeout = TimeSpan.FromSeconds(60) };
        if (role is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DevelopmentTokens.Create(SigningKey, subject ?? Guid.NewGuid(), role, practiceId));
        }

        return client;
    }

    public string KeyFile => Path.Combine(StateDirectory, "signing.key");

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformFixture>
{
    public const string Name = "platform";
}
