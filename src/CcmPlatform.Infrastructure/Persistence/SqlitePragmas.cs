using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CcmPlatform.Infrastructure.Persistence;

/// <summary>
/// WAL lets readers run beside the outbox relay's writes; busy_timeout makes two processes (or the
/// migrator and a service) wait for the write lock instead of failing with SQLITE_BUSY at once.
/// </summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Interceptor = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Apply(connection);
        return Task.CompletedTask;
    }

    private static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";
        command.ExecuteNonQuery();
    }
}
