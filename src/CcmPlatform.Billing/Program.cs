using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Billing.Apis;
using CcmPlatform.Billing.Data;

namespace CcmPlatform.Billing;

public class Program
{
    public const string ServiceName = "billing";

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddCcmService<BillingDbContext, SqliteBillingDbContext, SqlServerBillingDbContext>(ServiceName, BillingMessaging.Consumers);
        builder.AddBillingServices();

        var app = builder.Build();
        app.UseCcmService(ServiceName);
        app.MapBillingApi();
        app.Run();
    }
}
