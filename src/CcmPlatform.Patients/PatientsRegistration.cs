using CcmPlatform.Patients.Data;
using CcmPlatform.Infrastructure.Security;
using CcmPlatform.Patients.Apis;
using CcmPlatform.Patients.Import;
using MassTransit;

namespace CcmPlatform.Patients;

public static class PatientsRegistration
{
    public static WebApplicationBuilder AddPatientsServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<IPracticeDirectory, PatientsPracticeDirectory>();
        builder.Services.AddScoped<PatientsServices>();
        builder.Services.AddScoped<SyntheaImport>();
        // Synthea bundles run to a few MB; Kestrel's 30 MB default is ample, this keeps the limit explicit.
        builder.WebHost.ConfigureKestrel(o => o.Limits.MaxRequestBodySize = 50 * 1024 * 1024);
        return builder;
    }
}

/// <summary>Patients owns its facts and consumes nothing from other services.</summary>
public static class PatientsMessaging
{
    public static void Consumers(IBusRegistrationConfigurator bus)
    {
    }
}
