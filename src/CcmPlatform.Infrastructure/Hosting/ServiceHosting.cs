using CcmPlatform.Infrastructure.Http;
using CcmPlatform.Infrastructure.Messaging;
using CcmPlatform.Infrastructure.Persistence;
using CcmPlatform.Infrastructure.Security;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace CcmPlatform.Infrastructure.Hosting;

/// <summary>The one call each service's Program makes: defaults, database, bus, Redis, auth, problems, OpenAPI.</summary>
public static class ServiceHosting
{
    public const string RedisConnectionName = "cache";

    public static WebApplicationBuilder AddCcmService<TContext, TSqlite, TSqlServer>(
        this WebApplicationBuilder builder,
        string serviceName,
        Action<IBusRegistrationConfigurator>? consumers = null)
        where TContext : ServiceDbContext
        where TSqlite : TContext
        where TSqlServer : TContext
    {
        builder.AddServiceDefaults();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddServiceDatabase<TContext, TSqlite, TSqlServer>($"{serviceName}db");
        builder.AddServiceMessaging<TContext>(serviceName, consumers);
        builder.AddCcmRedis();
        builder.AddCcmAuthentication();
        builder.Services.AddCcmProblemDetails();
        // Enums travel as exactly one name: with numbers allowed, "program": 99 bound to a member that does
        // not exist and was stored; with JsonStringEnumConverter, "Ccm,Pcm" bound to a flag combination.
        builder.Services.AddCcmJsonBodies();
        builder.Services.AddCcmOpenApi(serviceName, typeof(TContext).Assembly);
        return builder;
    }

    public static IHostApplicationBuilder AddCcmRedis(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(RedisConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{RedisConnectionName} (host:port) is required.");
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ =>
        {
            var options = ConfigurationOptions.Parse(connectionString);
            options.AbortOnConnectFail = false;
            return ConnectionMultiplexer.Connect(options);
        });
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        return builder;
    }

    /// <summary>Middleware order shared by every service; the service then maps its APIs.</summary>
    public static WebApplication UseCcmService(this WebApplication app, string serviceName)
    {
        app.UseCcmProblemDetails();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRequestBodyLimits();
        app.UseMiddleware<IdempotencyMiddleware>(serviceName);
        app.MapOpenApi().AllowAnonymous();
        app.MapDefaultEndpoints();
        return app;
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await redis.GetDatabase().PingAsync();
                return HealthCheckResult.Healthy();
            }
            catch (Exception ex)
            {
                return HealthCheckResult.Unhealthy("Redis did not answer PING.", ex);
            }
        }
    }
}
