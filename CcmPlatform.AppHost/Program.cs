using CcmPlatform.AppHost;
using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);
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

builder.Build().Run();
