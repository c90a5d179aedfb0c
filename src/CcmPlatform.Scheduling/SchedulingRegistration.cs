using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Scheduling.Data;
using CcmPlatform.Scheduling.Consumers;
using CcmPlatform.Scheduling.Domain;
using MassTransit;

namespace CcmPlatform.Scheduling;

public static class SchedulingRegistration
{
    public static WebApplicationBuilder AddSchedulingServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<TimeEntryRecorder>();
        builder.Services.AddScoped<IPracticeDirectory, SchedulingPracticeDirectory>();
        builder.Services.AddSingleton<TimerStore>();
        builder.Services.AddSingleton<WorklistCache>();
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
        bus.AddConsumer<PatientEnrolledConsumer>();
        bus.AddConsumer<PatientDisenrolledConsumer>();
        bus.AddConsumer<InteractionDetectedConsumer>();
        bus.AddConsumer<InteractionAlertClosedConsumer>();
    }
}
