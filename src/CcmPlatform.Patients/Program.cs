using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Patients.Apis;
using CcmPlatform.Patients.Data;

namespace CcmPlatform.Patients;

public class Program
{
    public const string ServiceName = "patients";

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddCcmService<PatientsDbContext, SqlitePatientsDbContext, SqlServerPatientsDbContext>(ServiceName, PatientsMessaging.Consumers);
        builder.AddPatientsServices();

        var app = builder.Build();
        app.UseCcmService(ServiceName);
        app.MapPatientsApi();
        app.Run();
    }
}
