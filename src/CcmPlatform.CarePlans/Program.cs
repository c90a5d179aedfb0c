using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.CarePlans.Apis;
using CcmPlatform.CarePlans.Data;

namespace CcmPlatform.CarePlans;

public class Program
{
    public const string ServiceName = "careplans";

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddCcmService<CarePlansDbContext, SqliteCarePlansDbContext, SqlServerCarePlansDbContext>(ServiceName, CarePlansMessaging.Consumers);
        builder.AddCarePlansServices();

        var app = builder.Build();
        app.UseCcmService(ServiceName);
        app.MapCarePlansApi();
        app.Run();
    }
}
