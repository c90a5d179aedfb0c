using CcmPlatform.Billing.Closing;
using CcmPlatform.Billing.Consumers;
using MassTransit;

namespace CcmPlatform.Billing;

public static class BillingRegistration
{
    public static WebApplicationBuilder AddBillingServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<MonthCloser>();
        builder.Services.AddHostedService<LedgerProjector>();
        return builder;
    }
}

public static class BillingMessaging
{
    public static void Consumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<PracticeCreatedConsumer>();
        bus.AddConsumer<RosterMemberRegisteredConsumer>();
        bus.AddConsumer<PatientRegisteredConsumer>();
        bus.AddConsumer<ConditionsChangedConsumer>();
        bus.AddConsumer<CoverageRecordedConsumer>();
        bus.AddConsumer<BillingPractitionerAssignedConsumer>();
        bus.AddConsumer<ConsentRecordedConsumer>();
        bus.AddConsumer<ConsentDeclinedConsumer>();
        bus.AddConsumer<ConsentRevokedConsumer>();
        bus.AddConsumer<PatientEnrolledConsumer>();
        bus.AddConsumer<PatientDisenrolledConsumer>();
        bus.AddConsumer<InitiatingVisitRecordedConsumer>();
        bus.AddConsumer<VisitHistoryRecordedConsumer>();
        bus.AddConsumer<InpatientStayRecordedConsumer>();
        bus.AddConsumer<PatientDiedConsumer>();
        bus.AddConsumer<CarePlanActivatedConsumer>();
        bus.AddConsumer<CarePlanSharedConsumer>();
        bus.AddConsumer<CarePlanRevisedConsumer>();
        bus.AddConsumer<ComplexityAssessedConsumer>();
        bus.AddConsumer<TimeEntryRecordedConsumer>();
        bus.AddConsumer<TimeEntryVoidedConsumer>();
    }
}
