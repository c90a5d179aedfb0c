using CcmPlatform.Scheduling.Consumers;
using CcmPlatform.Scheduling.Domain;
using MassTransit;

namespace CcmPlatform.Scheduling;

public static class SchedulingRegistration
{
    public static WebApplicationBuilder AddSchedulingServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TimeEntryRecorder>();
        builder.Services.AddSingleton<TimerStore>();
        return builder;
    }
}

public static class SchedulingMessaging
{
    public static void Consumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<PracticeCreatedConsumer>();
        bus.AddConsumer<RosterMemberRegisteredConsumer>();
        bus.AddConsumer<PatientRegisteredConsumer>();
        bus.AddConsumer<ConsentRecordedConsumer>();
        bus.AddConsumer<ConsentRevokedConsumer>();
        bus.AddConsumer<PatientDiedConsumer>();
        bus.AddConsumer<LedgerUpdatedConsumer>();
    }
}
