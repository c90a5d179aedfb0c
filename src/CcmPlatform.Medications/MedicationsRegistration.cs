using CcmPlatform.Medications.Data;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Medications.Consumers;
using MassTransit;

namespace CcmPlatform.Medications;

public static class MedicationsRegistration
{
    public static WebApplicationBuilder AddMedicationsServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<IPracticeDirectory, MedicationsPracticeDirectory>();
        return builder;
    }
}

public static class MedicationsMessaging
{
    public static void Consumers(IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<PatientRegisteredConsumer>();
        bus.AddConsumer<RosterMemberRegisteredConsumer>();
        bus.AddConsumer<MedicationsImportedConsumer>();
    }
}
