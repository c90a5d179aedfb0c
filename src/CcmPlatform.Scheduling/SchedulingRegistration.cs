using MassTransit;

namespace CcmPlatform.Scheduling;

public static class SchedulingRegistration
{
    public static WebApplicationBuilder AddSchedulingServices(this WebApplicationBuilder builder)
    {
        return builder;
    }
}

public static class SchedulingMessaging
{
    public static void Consumers(IBusRegistrationConfigurator bus)
    {
    }
}
