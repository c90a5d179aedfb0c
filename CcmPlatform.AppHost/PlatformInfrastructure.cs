using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace CcmPlatform.AppHost;

public enum InfrastructureMode
{
    /// <summary>Docker answers: RabbitMQ, Redis and SQL Server as containers.</summary>
    Containers,
    /// <summary>No Docker: RabbitMQ and Redis from the Debian packages as local executables, SQLite files.</summary>
    Executables,
    /// <summary>The health system's own servers, given as connection strings.</summary>
    External,
}

/// <summary>
/// Decides where RabbitMQ, Redis and the databases come from and hands every project the same
/// connection strings, signing key and provider. See docs/adr/0002-infrastructure-modes.md.
/// </summary>
public sealed class PlatformInfrastructure
{
    public const string RabbitMqExecutable = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private static readonly string[] Databases = ["patients", "careplans", "medications", "scheduling", "billing"];

    private readonly List<IResourceBuilder<IResource>> _dependencies = [];

    public required InfrastructureMode Mode { get; init; }

    public required string Messaging { get; init; }

    public required string Cache { get; init; }

    public required string DatabaseProvider { get; init; }

    public required IReadOnlyDictionary<string, string> DatabaseConnections { get; init; }

    public required string SigningKey { get; init; }

    public required int GatewayPort { get; init; }

    public IReadOnlyList<IResourceBuilder<IResource>> Dependencies => _dependencies;

    public static PlatformInfrastructure Add(IDistributedApplicationBuilder builder)
    {
        var config = builder.Configuration;
        var root = Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));
        var stateDir = config["Ccm:StateDirectory"] is { Length: > 0 } s ? Path.GetFullPath(s) : Path.Combine(root, ".ccm");
        Directory.CreateDirectory(stateDir);
        var (mode, why, missing) = ChooseMode(config);
        var signingKey = config["Ccm:SigningKey"] is { Length: > 0 } k ? k : LoadOrCreateKey(Path.Combine(stateDir, "signing.key"));
        var gatewayPort = int.TryParse(config["Ccm:GatewayPort"], out var gp) ? gp : 18080;

        using var loggerFactory = LoggerFactory.Create(b => b.AddConsole());
        var log = loggerFactory.CreateLogger("CcmPlatform.AppHost");
        log.LogInformation("Infrastructure mode: {Mode} ({Why})", mode, why);
        foreach (var m in missing)
        {
            log.LogWarning("Not available: {Missing}", m);
        }

        return mode switch
        {
            InfrastructureMode.Containers => AddContainers(builder, stateDir, signingKey, gatewayPort),
            InfrastructureMode.Executables => AddExecutables(builder, stateDir, signingKey, gatewayPort, log),
            _ => External(config, stateDir, signingKey, gatewayPort),
        };
    }

    /// <summary>Ccm:Infrastructure overrides; otherwise connection strings win, then Docker, then local executables.</summary>
    public static (InfrastructureMode Mode, string Why, IReadOnlyList<string> Missing) ChooseMode(IConfiguration config)
    {
        var requested = config["Ccm:Infrastructure"];
        var missing = new List<string>();
        var docker = DockerAnswers();
        var executables = File.Exists(RabbitMqExecutable) && ExecutableOnPath("redis-server");
        if (!docker)
        {
            missing.Add("Docker engine (containers mode, SQL Server container)");
        }

        if (!File.Exists(RabbitMqExecutable))
        {
            missing.Add($"{RabbitMqExecutable} (apt-get install rabbitmq-server)");
        }

        if (!ExecutableOnPath("redis-server"))
        {
            missing.Add("redis-server (apt-get install redis-server)");
        }

        if (Enum.TryParse<InfrastructureMode>(requested, ignoreCase: true, out var forced))
        {
            return (forced, "set by Ccm:Infrastructure", missing);
        }

        if (!string.IsNullOrWhiteSpace(config.GetConnectionString("messaging")) && !string.IsNullOrWhiteSpace(config.GetConnectionString("cache")))
        {
            return (InfrastructureMode.External, "ConnectionStrings:messaging and :cache are configured", missing);
        }

        if (docker)
        {
            return (InfrastructureMode.Containers, "a Docker engine answered", missing);
        }

        if (executables)
        {
            return (InfrastructureMode.Executables, "no Docker engine; RabbitMQ and Redis executables found", missing);
        }

        throw new InvalidOperationException("No infrastructure: no Docker engine, no RabbitMQ/Redis executables, no connection strings. Missing: " + string.Join("; ", missing));
    }

    private static PlatformInfrastructure AddExecutables(IDistributedApplicationBuilder builder, string stateDir, string signingKey, int gatewayPort, ILogger log)
    {
        var config = builder.Configuration;
        var amqpPort = PortFrom(config, "Ccm:Ports:Amqp");
        var distPort = PortFrom(config, "Ccm:Ports:RabbitDist");
        var redisPort = PortFrom(config, "Ccm:Ports:Redis");
        var rabbitDir = Path.Combine(stateDir, "rabbitmq", amqpPort.ToString());
        Directory.CreateDirectory(rabbitDir);
        var pluginsFile = Path.Combine(rabbitDir, "enabled_plugins");
        File.WriteAllText(pluginsFile, "[].");
        log.LogInformation("RabbitMQ on 127.0.0.1:{Amqp}, Redis on 127.0.0.1:{Redis}", amqpPort, redisPort);

        var rabbit = builder.AddExecutable("rabbitmq", RabbitMqExecutable, rabbitDir)
            .WithEnvironment("RABBITMQ_NODE_PORT", amqpPort.ToString())
            .WithEnvironment("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1")
            .WithEnvironment("RABBITMQ_DIST_PORT", distPort.ToString())
            .WithEnvironment("RABBITMQ_NODENAME", "ccm" + amqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture) + "@localhost")
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(rabbitDir, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(rabbitDir, "log"))
            .WithEnvironment("RABBITMQ_LOGS", "-")
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", pluginsFile)
            .WithEnvironment("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}")
            .WithEnvironment("ERL_EPMD_ADDRESS", "127.0.0.1")
            .WithEnvironment("HOME", rabbitDir)
            .WithHealthCheck("rabbitmq-amqp");
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("rabbitmq-amqp", _ => new AmqpHandshakeCheck(amqpPort), null, null));

        var redis = builder.AddExecutable("redis", "redis-server", stateDir,
                "--port", redisPort.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
            .WithHealthCheck("redis-ping");
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("redis-ping", _ => new RedisPingCheck(redisPort), null, null));

        var dataDir = Path.Combine(stateDir, "data");
        Directory.CreateDirectory(dataDir);
        var platform = new PlatformInfrastructure
        {
            Mode = InfrastructureMode.Executables,
            Messaging = $"amqp://guest:guest@127.0.0.1:{amqpPort}",
            Cache = $"127.0.0.1:{redisPort}",
            DatabaseProvider = "Sqlite",
            DatabaseConnections = Databases.ToDictionary(d => d, d => $"Data Source={Path.Combine(dataDir, d + ".db")}"),
            SigningKey = signingKey,
            GatewayPort = gatewayPort,
        };
        platform._dependencies.Add(rabbit.AsResource());
        platform._dependencies.Add(redis.AsResource());
        return platform;
    }

    /// <summary>Wiring for machines with Docker. Untested on the team's machines (no Docker engine there); covered by an app-model test.</summary>
    private static PlatformInfrastructure AddContainers(IDistributedApplicationBuilder builder, string stateDir, string signingKey, int gatewayPort)
    {
        var config = builder.Configuration;
        var amqpPort = PortFrom(config, "Ccm:Ports:Amqp");
        var redisPort = PortFrom(config, "Ccm:Ports:Redis");
        var sqlPort = PortFrom(config, "Ccm:Ports:SqlServer");
        var rabbitPassword = LoadOrCreateKey(Path.Combine(stateDir, "rabbitmq.password"), alphanumeric: true);
        var sqlPassword = "Ccm-" + LoadOrCreateKey(Path.Combine(stateDir, "sqlserver.password"), alphanumeric: true) + "!9a";

        var rabbitUser = builder.AddParameter("rabbitmq-user", "ccm");
        var rabbitPass = builder.AddParameter("rabbitmq-password", rabbitPassword, secret: true);
        var rabbit = builder.AddRabbitMQ("messaging", rabbitUser, rabbitPass, port: amqpPort);
        var redis = builder.AddRedis("cache", port: redisPort);
        var sql = builder.AddContainer("sqlserver", "mcr.microsoft.com/mssql/server", "2022-latest")
            .WithEnvironment("ACCEPT_EULA", "Y")
            .WithEnvironment("MSSQL_SA_PASSWORD", sqlPassword)
            .WithEndpoint(port: sqlPort, targetPort: 1433, name: "tds", scheme: "tcp")
            .WithHealthCheck("sqlserver-tcp");
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("sqlserver-tcp", _ => new TcpOpenCheck(sqlPort), null, null));

        var platform = new PlatformInfrastructure
        {
            Mode = InfrastructureMode.Containers,
            Messaging = $"amqp://ccm:{rabbitPassword}@127.0.0.1:{amqpPort}",
            Cache = $"127.0.0.1:{redisPort}",
            DatabaseProvider = "SqlServer",
            DatabaseConnections = Databases.ToDictionary(d => d, d => $"Server=127.0.0.1,{sqlPort};Database=ccm_{d};User Id=sa;Password={sqlPassword};TrustServerCertificate=True"),
            SigningKey = signingKey,
            GatewayPort = gatewayPort,
        };
        platform._dependencies.Add(rabbit.AsResource());
        platform._dependencies.Add(redis.AsResource());
        platform._dependencies.Add(sql.AsResource());
        return platform;
    }

    private static PlatformInfrastructure External(IConfiguration config, string stateDir, string signingKey, int gatewayPort)
    {
        var provider = config["Database:Provider"] ?? "Sqlite";
        var dataDir = Path.Combine(stateDir, "data");
        Directory.CreateDirectory(dataDir);
        return new PlatformInfrastructure
        {
            Mode = InfrastructureMode.External,
            Messaging = config.GetConnectionString("messaging") ?? throw new InvalidOperationException("ConnectionStrings:messaging is required in External mode."),
            Cache = config.GetConnectionString("cache") ?? throw new InvalidOperationException("ConnectionStrings:cache is required in External mode."),
            DatabaseProvider = provider,
            DatabaseConnections = Databases.ToDictionary(
                d => d,
                d => config.GetConnectionString(d + "db")
                     ?? (provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase)
                         ? $"Data Source={Path.Combine(dataDir, d + ".db")}"
                         : throw new InvalidOperationException($"ConnectionStrings:{d}db is required for {provider}."))),
            SigningKey = signingKey,
            GatewayPort = gatewayPort,
        };
    }

    private static int PortFrom(IConfiguration config, string key)
        => int.TryParse(config[key], out var port) && port > 0 ? port : FreePort();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string LoadOrCreateKey(string path, bool alphanumeric = false)
    {
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        var bytes = RandomNumberGenerator.GetBytes(48);
        var key = alphanumeric ? Convert.ToHexString(bytes)[..32] : Convert.ToBase64String(bytes);
        File.WriteAllText(path, key);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }

    private static bool DockerAnswers()
    {
        if (!File.Exists("/var/run/docker.sock") && Environment.GetEnvironmentVariable("DOCKER_HOST") is null)
        {
            return false;
        }

        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (process is null || !process.WaitForExit(5000))
            {
                process?.Kill();
                return false;
            }

            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    private static bool ExecutableOnPath(string name)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, name)));

    /// <summary>What one project is told: connection strings, key and provider (the migrator, every database).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentFor(string? database)
    {
        var env = new Dictionary<string, string>
        {
            ["ConnectionStrings__messaging"] = Messaging,
            ["ConnectionStrings__cache"] = Cache,
            ["Auth__SigningKey"] = SigningKey,
            ["Database__Provider"] = DatabaseProvider,
        };
        foreach (var (name, connection) in DatabaseConnections)
        {
            if (database is null || database == name)
            {
                env[$"ConnectionStrings__{name}db"] = connection;
            }
        }

        return env;
    }

    public IResourceBuilder<T> Apply<T>(IResourceBuilder<T> project, string? database) where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        foreach (var (name, value) in EnvironmentFor(database))
        {
            project.WithEnvironment(name, value);
        }

        foreach (var dependency in _dependencies)
        {
            project.WaitFor(dependency);
        }

        return project;
    }
}

public static class PlatformResourceExtensions
{
    /// <summary>Connection strings, key and provider for one project; the migrator gets every database.</summary>
    public static IResourceBuilder<ProjectResource> WithPlatform(this IResourceBuilder<ProjectResource> project, PlatformInfrastructure platform)
        => platform.Apply(project, project.Resource.Name == "migrator" ? null : project.Resource.Name);

    public static IResourceBuilder<IResource> AsResource<T>(this IResourceBuilder<T> builder) where T : IResource
        => (IResourceBuilder<IResource>)(object)builder;
}
