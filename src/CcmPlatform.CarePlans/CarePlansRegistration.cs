using CcmPlatform.CarePlans.Consumers;
using MassTransit;

namespace CcmPlatform.CarePlans;

public static class CarePlansRegistration
{
    public static WebApplicationBuilder AddCarePlansServices(this WebApplicationBuilder builder)
    {
        return builder;
    }
}

public static class CarePlansMessaging
{
    public static void Consumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<PatientRegisteredConsumer>();
        bus.AddConsumer<ConditionsChangedConsumer>();
        bus.AddConsumer<BillingPractitionerAssignedConsumer>();
    }
}
