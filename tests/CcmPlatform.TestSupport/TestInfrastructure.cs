namespace CcmPlatform.TestSupport;

/// <summary>
/// Where the real RabbitMQ and Redis of a test run are. `./ccm test` starts both on loopback and
/// exports CCM_TEST_MESSAGING and CCM_TEST_CACHE; a developer's own servers on the default ports work too.
/// </summary>
public static class TestInfrastructure
{
    public static string Messaging => Environment.GetEnvironmentVariable("CCM_TEST_MESSAGING") ?? "amqp://guest:guest@127.0.0.1:5672";

    public static string Cache => Environment.GetEnvironmentVariable("CCM_TEST_CACHE") ?? "127.0.0.1:6379";

    private static readonly Microsoft.Extensions.Logging.ILoggerFactory MassTransitLogs = Microsoft.Extensions.Logging.LoggerFactory.Create(_ => { });

    /// <summary>
    /// MassTransit keeps its log context in a static; a test process that builds one host after
    /// disposing another would hand the new bus a disposed logger factory. Call before building a host.
    /// </summary>
    public static void ResetMassTransitLogContext() => MassTransit.LogContext.ConfigureCurrentLogContext(MassTransitLogs);

    /// <summary>The repository root, found by walking up to CcmPlatform.sln.</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CcmPlatform.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("CcmPlatform.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The committed Synthea sample, present in every clone.</summary>
    public static string SampleDirectory => Path.Combine(RepoRoot, "data", "synthea-sample");

    /// <summary>The full shared data set, present only on the team's machines.</summary>
    public static string? SharedDataDirectory
    {
        get
        {
            var dir = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));
            return Directory.Exists(dir) ? dir : null;
        }
    }

    /// <summary>Polls a condition until it holds or the deadline passes; tests wait on facts, never fixed sleeps.</summary>
    /// <summary>
    /// How long an asynchronous effect (a consumed event, a projected ledger) may take. Generous on purpose: a 2-core
    /// machine running several test hosts can be 20× oversubscribed, and a passing probe returns at once anyway.
    /// </summary>
    public static readonly TimeSpan Convergence = TimeSpan.FromSeconds(90);

    public static async Task<T> Eventually<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met in time: {what ?? "condition"}; last value: {last}");
            }

            await Task.Delay(100);
        }
    }
}
