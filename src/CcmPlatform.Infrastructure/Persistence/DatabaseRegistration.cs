using CcmPlatform.Infrastructure.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CcmPlatform.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

public static class DatabaseRegistration
{
    /// <summary>"Database:Provider" selects the provider; SQLite is the embedded default.</summary>
    public static DatabaseProvider ProviderFrom(IConfiguration configuration)
        => Enum.TryParse<DatabaseProvider>(configuration["Database:Provider"], ignoreCase: true, out var p) ? p : DatabaseProvider.Sqlite;

    /// <summary>
    /// Registers <typeparamref name="TContext"/> as the service's context, backed by the
    /// provider-specific subclass that owns the matching migration set.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext, TSqlite, TSqlServer>(this IHostApplicationBuilder builder, string connectionName)
        where TContext : ServiceDbContext
        where TSqlite : TContext
        where TSqlServer : TContext
    {
        var provider = ProviderFrom(builder.Configuration);
        var connectionString = builder.Configuration.GetConnectionString(connectionName)
            ?? (provider == DatabaseProvider.Sqlite
                ? $"Data Source={Path.Combine(AppContext.BaseDirectory, connectionName + ".db")}"
                : throw new InvalidOperationException($"ConnectionStrings:{connectionName} is required for SQL Server."));

        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<OutboxSavedInterceptor>();
        if (provider == DatabaseProvider.Sqlite)
        {
            builder.Services.AddDbContext<TContext, TSqlite>((sp, o) => o
                .UseSqlite(connectionString, s => s.MigrationsHistoryTable("__EFMigrationsHistory"))
                .AddInterceptors(sp.GetRequiredService<OutboxSavedInterceptor>(), SqlitePragmas.Interceptor));
        }
        else
        {
            builder.Services.AddDbContext<TContext, TSqlServer>((sp, o) => o
                .UseSqlServer(connectionString)
                .AddInterceptors(sp.GetRequiredService<OutboxSavedInterceptor>()));
        }

        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>($"{connectionName}-db");
        return builder;
    }
}

/// <summary>Design-time factories so `dotnet ef` can build each provider's context without the host.</summary>
public abstract class SqliteDesignTimeFactory<T> : IDesignTimeDbContextFactory<T> where T : DbContext
{
    public T CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<T>().UseSqlite("Data Source=design-time.db").Options;
        return (T)Activator.CreateInstance(typeof(T), options)!;
    }
}

public abstract class SqlServerDesignTimeFactory<T> : IDesignTimeDbContextFactory<T> where T : DbContext
{
    public T CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<T>().UseSqlServer("Server=localhost;Database=design-time;Trusted_Connection=True;TrustServerCertificate=True").Options;
        return (T)Activator.CreateInstance(typeof(T), options)!;
    }
}
