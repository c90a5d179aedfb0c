using CcmPlatform.Infrastructure.Hosting;
using CcmPlatform.Medications.Apis;
using CcmPlatform.Medications.Data;

namespace CcmPlatform.Medications;

public class Program
{
    public const string ServiceName = "medications";

    public static void Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.AddCcmService<MedicationsDbContext, SqliteMedicationsDbContext, SqlServerMedicationsDbContext>(ServiceName, MedicationsMessaging.Consumers);
        builder.AddMedicationsServices();

        var app = builder.Build();
        app.UseCcmService(ServiceName);
        app.MapMedicationsApi();
        app.Run();
    }
}
