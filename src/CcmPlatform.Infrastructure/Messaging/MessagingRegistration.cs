using CcmPlatform.Infrastructure.Persistence;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CcmPlatform.Infrastructure.Messaging;

public static class MessagingRegistration
{
    public const string ConnectionName = "messaging";

    /// <summary>
    /// MassTransit over RabbitMQ with the service's outbox relay. Queue names are prefixed with the
    /// service name so two services' consumers of the same event get their own copies.
    /// </summary>
    public static IHostApplicationBuilder AddServiceMessaging<TContext>(this IHostApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? consumers = null)
        where TContext : ServiceDbContext
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{ConnectionName} (amqp://…) is required.");

        // Tests give each host its own prefix so parallel test hosts never steal each other's messages.
        var queuePrefix = builder.Configuration["Messaging:QueuePrefix"] + serviceName;
        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(queuePrefix, includeNamespace: false));
            consumers?.Invoke(x);
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(connectionString));
                cfg.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(500)));
                cfg.ConfigureEndpoints(context);
            });
        });
        // Start-up waits for the queues to be bound, so nothing published right after start is lost.
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });
        builder.Services.AddHostedService<OutboxRelay<TContext>>();
        return builder;
    }
}
