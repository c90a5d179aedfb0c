using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Scheduling.Apis;
using CcmPlatform.Scheduling.Data;

namespace CcmPlatform.Scheduling;

public class Program
{
    public const string ServiceName = "scheduling";

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddCcmService<SchedulingDbContext, SqliteSchedulingDbContext, SqlServerSchedulingDbContext>(ServiceName, SchedulingMessaging.Consumers);
        builder.AddSchedulingServices();

        var app = builder.Build();
        app.UseCcmService(ServiceName);
        app.MapSchedulingApi();
        app.Run();
    }
}
