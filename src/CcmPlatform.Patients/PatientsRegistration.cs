using MassTransit;

namespace CcmPlatform.Patients;

public static class PatientsRegistration
{
    public static WebApplicationBuilder AddPatientsServices(this WebApplicationBuilder builder)
    {
        return builder;
    }
}

public static class PatientsMessaging
{
    public static void Consumers(IBusRegistrationConfigurator bus)
    {
    }
}
