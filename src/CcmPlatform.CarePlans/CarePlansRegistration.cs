using CcmPlatform.CarePlans.Data;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.CarePlans.Consumers;
using MassTransit;

namespace CcmPlatform.CarePlans;

public static class CarePlansRegistration
{
    public static WebApplicationBuilder AddCarePlansServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<IPracticeDirectory, CarePlansPracticeDirectory>();
        return builder;
    }
}

public static class CarePlansMessaging
{
    public static void Consumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<PracticeCreatedConsumer>();
        bus.AddConsumer<PatientRegisteredConsumer>();
        bus.AddConsumer<RosterMemberRegisteredConsumer>();
        bus.AddConsumer<ConditionsChangedConsumer>();
        bus.AddConsumer<BillingPractitionerAssignedConsumer>();
    }
}
