using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CcmPlatform.Bench.Close;

/// <summary>The service's connection pragmas (Infrastructure's SqlitePragmas is internal): WAL, busy timeout, foreign keys.</summary>
internal sealed class SqliteSession : DbConnectionInterceptor
{
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
