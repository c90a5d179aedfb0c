using CcmPlatform.AppHost;

var builder = DistributedApplication.CreateBuilder(args);
PlatformAppModel.Compose(builder);
builder.Build().Run();
