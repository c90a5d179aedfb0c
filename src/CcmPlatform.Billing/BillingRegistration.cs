using MassTransit;

namespace CcmPlatform.Billing;

public static class BillingRegistration
{
    public static WebApplicationBuilder AddBillingServices(this WebApplicationBuilder builder)
    {
        return builder;
    }
}

public static class BillingMessaging
{
    public static void Consumers(IBusRegistrationConfigurator bus)
    {
    }
}
