using Microsoft.Extensions.Configuration;

namespace CcmPlatform.AppHost;

/// <summary>
/// The whole platform's app model. Kept out of Program so tests can compose it on a builder of
/// their own and inspect the wiring of a mode (containers) that cannot start on their machine.
/// </summary>
public static class PlatformAppModel
{
    public static PlatformInfrastructure Compose(IDistributedApplicationBuilder builder)
    {
        var platform = PlatformInfrastructure.Add(builder);
        var migrator = builder.AddProject<Projects.CcmPlatform_Migrator>("migrator").WithPlatform(platform);

        var services = new[]
        {
            builder.AddProject<Projects.CcmPlatform_Patients>("patients", launchProfileName: null),
            builder.AddProject<Projects.CcmPlatform_CarePlans>("careplans", launchProfileName: null)
                .WithReplicas(builder.Configuration.GetValue("Ccm:CarePlansReplicas", 1)),
            builder.AddProject<Projects.CcmPlatform_Medications>("medications", launchProfileName: null),
            builder.AddProject<Projects.CcmPlatform_Scheduling>("scheduling", launchProfileName: null),
            builder.AddProject<Projects.CcmPlatform_Billing>("billing", launchProfileName: null),
        };

        var gateway = builder.AddProject<Projects.CcmPlatform_Gateway>("gateway", launchProfileName: null)
            .WithHttpEndpoint(port: platform.GatewayPort, targetPort: platform.GatewayPort, isProxied: false)
            .WithEnvironment("Auth__SigningKey", platform.SigningKey)
            .WithHttpHealthCheck("/health");

        foreach (var service in services)
        {
            service.WithHttpEndpoint()
                .WithPlatform(platform)
                .WithHttpHealthCheck("/health")
                .WaitForCompletion(migrator);
            gateway.WithReference(service).WaitFor(service);
        }

        return platform;
    }
}
