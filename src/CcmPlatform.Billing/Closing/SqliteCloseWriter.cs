using System.Buffers.Text;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace CcmPlatform.Billing.Closing;

/// <summary>
/// Billing's one provider-specific class (issue 3 §3): on SQLite, the month close reads the practice's facts with a plain
/// data reader and writes claims, claim lines,
/// outcomes and outbox rows with raw prepared statements in the caller's transaction, ~5× faster than
/// SaveChanges. Columns and values come from the EF model, so the SQL follows the migrations; values are
/// written in the same text forms EF uses on SQLite (upper-case GUIDs, "yyyy-MM-dd HH:mm:ss.FFFFFFF").
/// </summary>
public sealed class SqliteCloseWriter : IAsyncDisposable
{
    private const string ClosePatients = "temp.\"CcmClosePatients\"";
    private readonly DbContext _db;
    // Set on a reader from OpenReaderAsync: its own connection and read transaction instead of the context's.
    private readonly SqliteConnection? _own;
    private readonly SqliteTransaction? _ownTransaction;
    private bool _hasPatients;
    private bool _disposed;

    private SqliteCloseWriter(DbContext db, SqliteConnection? own = null, SqliteTransaction? ownTransaction = null)
    {
        _db = db;
        _own = own;
        _ownTransaction = ownTransaction;
    }

    /// <summary>Null when the context is not on SQLite: the caller then stays with SaveChanges.</summary>
    public static SqliteCloseWriter? For(DbContext db) => db.Database.IsSqlite() ? new SqliteCloseWriter(db) : null;

    /// <summary>
    /// A fact reader on a second connection to the same file, so the close can read the next slice while this connection
    /// writes. Its one deferred read transaction sees a single snapshot; it is taken while the caller's write transaction
    /// (BEGIN IMMEDIATE) holds the write lock, so it is the state that transaction started from, less its own uncommitted
    /// rows (claims, outcomes, outbox: never facts). Null when a second connection would not see the same data
    /// concurrently: an in-memory database, a shared cache, or a journal mode other than WAL (readers would block on the writer).
    /// </summary>
    public async Task<SqliteCloseWriter?> OpenReaderAsync(CancellationToken ct)
    {
        if (_own is not null) throw new InvalidOperationException("Already a reader.");
        var connection = _db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await _db.Database.OpenConnectionAsync(ct);
        var builder = new SqliteConnectionStringBuilder(connection.ConnectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource.Length == 0 || builder.DataSource == ":memory:") return null;
        // A shared cache locks whole tables between its connections instead of giving each reader a snapshot.
        if (builder.Cache == SqliteCacheMode.Shared) return null;
        await using (var mode = connection.CreateCommand())
        {
            mode.Transaction = _db.Database.CurrentTransaction?.GetDbTransaction();
            mode.CommandText = "PRAGMA journal_mode";
            if (!string.Equals(mode.ExecuteScalar() as string, "wal", StringComparison.OrdinalIgnoreCase)) return null;
        }
        // Unpooled: the temp table of patient ids must not outlive the close on a connection someone else gets later.
        builder.Pooling = false;
        builder.Mode = SqliteOpenMode.ReadWrite;
        var own = new SqliteConnection(builder.ConnectionString);
        try
        {
            await own.OpenAsync(ct);
            await using (var pragma = own.CreateCommand())
            {
                pragma.CommandText = "PRAGMA busy_timeout=10000;";
                pragma.ExecuteNonQuery();
            }
            return new SqliteCloseWriter(_db, own, own.BeginTransaction(deferred: true));
        }
        catch
        {
            await own.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Turns off the write connection's automatic checkpoint until the returned handle is disposed, which restores it and
    /// starts one checkpoint on a connection of its own (<see cref="CheckpointDeferral.Checkpoint"/>). A close leaves a few
    /// hundred MB of WAL pages; checkpointed by the commit, copying them into the database (and syncing it) would delay the
    /// committed claims by a second or more, although they are durable in the WAL already. Null for an in-memory database.
    /// </summary>
    public async Task<CheckpointDeferral?> DeferCheckpointAsync(ILogger log, CancellationToken ct)
    {
        if (_own is not null) throw new InvalidOperationException("A reader does not write.");
        var connection = await ConnectionAsync(ct);
        var builder = new SqliteConnectionStringBuilder(connection.ConnectionString);
        if (builder.Mode == SqliteOpenMode.Memory || builder.DataSource.Length == 0 || builder.DataSource == ":memory:") return null;
        await using var pragma = connection.CreateCommand();
        pragma.Transaction = Transaction;
        pragma.CommandText = "PRAGMA wal_autocheckpoint";
        var pages = Convert.ToInt32(pragma.ExecuteScalar(), CultureInfo.InvariantCulture);
        pragma.CommandText = "PRAGMA wal_autocheckpoint=0";
        pragma.ExecuteNonQuery();
        return new CheckpointDeferral(connection, pages, log);
    }

    public sealed class CheckpointDeferral(DbConnection connection, int pages, ILogger log) : IAsyncDisposable
    {
        /// <summary>The checkpoint started on disposal; it fails only into the log (the data is committed either way).</summary>
        public Task Checkpoint { get; private set; } = Task.CompletedTask;

        public async ValueTask DisposeAsync()
        {
            // Restored first: the connection goes back to the pool, and every other writer keeps checkpointing as before.
            if (connection.State == System.Data.ConnectionState.Open)
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = FormattableString.Invariant($"PRAGMA wal_autocheckpoint={pages}");
                pragma.ExecuteNonQuery();
            }
            var connectionString = connection.ConnectionString;
            Checkpoint = Task.Run(async () =>
            {
                try
                {
                    await using var own = new SqliteConnection(connectionString);
                    await own.OpenAsync();
                    await using var command = own.CreateCommand();
                    // PASSIVE: copies what no reader still needs and never waits for readers or blocks writers.
                    command.CommandText = "PRAGMA busy_timeout=10000; PRAGMA wal_checkpoint(PASSIVE);";
                    await command.ExecuteNonQueryAsync();
                }
                catch (Exception ex)
                {
                    log.LogWarning(ex, "Checkpoint after a month close failed; the next commit's automatic checkpoint does it");
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_own is null || _disposed) return;
        _disposed = true;
        if (_ownTransaction is not null) await _ownTransaction.DisposeAsync();
        await _own.DisposeAsync();
    }

    private async Task<DbConnection> ConnectionAsync(CancellationToken ct)
    {
        if (_own is not null) return _own;
        var connection = _db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open) await _db.Database.OpenConnectionAsync(ct);
        return connection;
    }

    private DbTransaction? Transaction => _own is not null ? _ownTransaction : _db.Database.CurrentTransaction?.GetDbTransaction();

    /// <summary>
    /// Inserts rows of one mapped entity type; with <paramref name="upsert"/>, a row whose primary key exists is
    /// overwritten. Unique-index violations surface as DbUpdateException, like SaveChanges.
    /// </summary>
    public async Task InsertAsync<T>(IReadOnlyList<T> rows, bool upsert, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        if (_own is not null) throw new InvalidOperationException("A reader does not write.");
        var entity = _db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var props = entity.GetProperties().Where(p => p.GetColumnName(table) is not null).ToArray();
        var columns = props.Select(p => Quote(p.GetColumnName(table)!)).ToArray();
        var sql = $"INSERT INTO {Quote(table.Name)} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", props.Select((_, i) => "$p" + i))})";
        if (upsert)
        {
            var key = entity.FindPrimaryKey()!.Properties.Select(p => Quote(p.GetColumnName(table)!)).ToArray();
            var set = columns.Where(c => !key.Contains(c)).Select(c => $"{c} = excluded.{c}");
            sql += $" ON CONFLICT ({string.Join(", ", key)}) DO UPDATE SET {string.Join(", ", set)}";
        }

        var connection = (SqliteConnection)await ConnectionAsync(ct);
        var getters = new IClrPropertyGetter[props.Length];
        var converters = new Func<object?, object?>?[props.Length];
        for (var i = 0; i < props.Length; i++)
        {
            getters[i] = props[i].GetGetter();
            var converter = props[i].GetTypeMapping().Converter;
            converters[i] = converter is null ? null : converter.ConvertToProvider;
        }
        // The statement straight from SQLitePCL: a SqliteCommand allocates a data reader and re-resolves every parameter's
        // type on each execution, which for 440k rows cost more than SQLite's own work. The connection's transaction applies.
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var statement));
        using (statement)
        {
            try
            {
                for (var r = 0; r < rows.Count; r++)
                {
                    var row = rows[r];
                    for (var i = 0; i < props.Length; i++)
                    {
                        var value = getters[i].GetClrValueUsingContainingEntity(row);
                        if (converters[i] is { } convert) value = convert(value);
                        Check(handle, Bind(statement, i + 1, ToStore(value)));
                    }
                    // Synchronous: SQLite does no I/O asynchronously, and the async wrapper costs a task per row.
                    ct.ThrowIfCancellationRequested();
                    var rc = raw.sqlite3_step(statement);
                    if (rc != raw.SQLITE_DONE) Check(handle, rc);
                    raw.sqlite3_reset(statement);
                }
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == raw.SQLITE_CONSTRAINT)
            {
                throw new DbUpdateException($"Bulk insert into {table.Name} violated a constraint: {ex.Message}", ex);
            }
        }
    }

    private static int Bind(sqlite3_stmt statement, int index, object value) => value switch
    {
        DBNull => raw.sqlite3_bind_null(statement, index),
        string text => raw.sqlite3_bind_text(statement, index, text),
        long number => raw.sqlite3_bind_int64(statement, index, number),
        int number => raw.sqlite3_bind_int(statement, index, number),
        short number => raw.sqlite3_bind_int(statement, index, number),
        byte number => raw.sqlite3_bind_int(statement, index, number),
        double number => raw.sqlite3_bind_double(statement, index, number),
        float number => raw.sqlite3_bind_double(statement, index, number),
        byte[] bytes => raw.sqlite3_bind_blob(statement, index, bytes),
        _ => throw new NotSupportedException($"The close's writer does not bind {value.GetType().Name}."),
    };

    /// <summary>
    /// Puts the patient ids whose facts <see cref="ReadFactsAsync{T}"/> reads into a keyed temp table (replacing the previous
    /// set). A temp table, not an IN list or subquery: an IN (subquery) rebuilds its index for every one of the 13 fact tables,
    /// and thousands of bound parameters cost more than the join.
    /// </summary>
    public async Task UsePatientsAsync(IEnumerable<Guid> patientIds, CancellationToken ct)
    {
        var connection = await ConnectionAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = $"CREATE TEMP TABLE IF NOT EXISTS {ClosePatients} (Id TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID; DELETE FROM {ClosePatients};";
        command.ExecuteNonQuery();
        command.CommandText = $"INSERT OR IGNORE INTO {ClosePatients} VALUES ($id)";
        var id = command.CreateParameter();
        id.ParameterName = "$id";
        command.Parameters.Add(id);
        command.Prepare();
        foreach (var patientId in patientIds)
        {
            id.Value = ToStore(patientId);
            command.ExecuteNonQuery();
        }
        _hasPatients = true;
    }

    /// <summary>
    /// Streams the rows of one fact table for the patients of <see cref="UsePatientsAsync"/> straight from a data reader. Same
    /// rows as the EF query, at a fraction of its cost: EF parses every DATETIME and GUID text through general-purpose parsers,
    /// here the fixed forms EF writes are parsed directly. <paramref name="where"/> narrows with a SQL condition on the table's
    /// columns, with <paramref name="parameters"/> bound by name.
    /// </summary>
    public async Task ReadFactsAsync<T>(string? where, IReadOnlyList<(string Name, object Value)> parameters, Action<T> sink, CancellationToken ct) where T : class, new()
    {
        if (!_hasPatients) throw new InvalidOperationException("UsePatientsAsync first.");
        var entity = _db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var props = entity.GetProperties().Where(p => p.GetColumnName(table) is not null).ToArray();
        var connection = (SqliteConnection)await ConnectionAsync(ct);
        var sql = $"SELECT {string.Join(", ", props.Select(p => Quote(p.GetColumnName(table)!)))} FROM {Quote(table.Name)} " +
            $"WHERE {Quote(entity.FindProperty("PatientId")!.GetColumnName(table)!)} IN {ClosePatients}" + (where is null ? "" : $" AND ({where})");
        var setters = props.Select(p => Setter<T>(p.PropertyInfo ?? throw new InvalidOperationException($"{p.Name} has no CLR property."))).ToArray();
        // The statement straight from SQLitePCL, not a SqliteDataReader: GUIDs and DATETIMEs parse from the column's UTF-8 bytes
        // without a string per value, and no per-column type dispatch. Same connection, so the same transaction and snapshot.
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        Check(handle, raw.sqlite3_prepare_v2(handle, sql, out var statement));
        using (statement)
        {
            foreach (var (name, value) in parameters)
            {
                var index = raw.sqlite3_bind_parameter_index(statement, name);
                if (index == 0) throw new InvalidOperationException($"No parameter {name} in the facts query.");
                Check(handle, ToStore(value) switch
                {
                    string text => raw.sqlite3_bind_text(statement, index, text),
                    long number => raw.sqlite3_bind_int64(statement, index, number),
                    int number => raw.sqlite3_bind_int64(statement, index, number),
                    var other => throw new NotSupportedException($"Parameter {name}: {other.GetType().Name}."),
                });
            }
            int rc;
            while ((rc = raw.sqlite3_step(statement)) == raw.SQLITE_ROW)
            {
                var row = new T();
                for (var i = 0; i < setters.Length; i++) setters[i](row, statement, i);
                sink(row);
            }
            if (rc != raw.SQLITE_DONE) Check(handle, rc);
        }
    }

    private static void Check(sqlite3 handle, int rc)
    {
        // The primary code, as SqliteException carries it (SQLITE_CONSTRAINT, not SQLITE_CONSTRAINT_UNIQUE), whether or not
        // the connection reports extended codes.
        if (rc != raw.SQLITE_OK) throw new SqliteException(raw.sqlite3_errmsg(handle).utf8_to_string(), rc & 0xFF, raw.sqlite3_extended_errcode(handle));
    }

    private static bool IsNull(sqlite3_stmt s, int i) => raw.sqlite3_column_type(s, i) == raw.SQLITE_NULL;

    // TEXT columns read as their UTF-8 bytes (sqlite3_column_blob returns a text value's bytes as they are stored).
    private static string Text(sqlite3_stmt s, int i) => Encoding.UTF8.GetString(raw.sqlite3_column_blob(s, i));

    private static Guid ParseGuid(ReadOnlySpan<byte> utf8) =>
        utf8.Length == 36 && Utf8Parser.TryParse(utf8, out Guid g, out var used, 'D') && used == 36 ? g : Guid.Parse(Encoding.UTF8.GetString(utf8));

    private static Action<T, sqlite3_stmt, int> Setter<T>(System.Reflection.PropertyInfo property)
    {
        var type = property.PropertyType;
        if (type == typeof(Guid)) return Typed<T, Guid>(property, (s, i) => ParseGuid(raw.sqlite3_column_blob(s, i)));
        if (type == typeof(Guid?)) return Typed<T, Guid?>(property, (s, i) => IsNull(s, i) ? null : ParseGuid(raw.sqlite3_column_blob(s, i)));
        if (type == typeof(string)) return Typed<T, string?>(property, (s, i) => IsNull(s, i) ? null : Text(s, i));
        if (type == typeof(int)) return Typed<T, int>(property, (s, i) => raw.sqlite3_column_int(s, i));
        if (type == typeof(int?)) return Typed<T, int?>(property, (s, i) => IsNull(s, i) ? null : raw.sqlite3_column_int(s, i));
        if (type == typeof(long)) return Typed<T, long>(property, (s, i) => raw.sqlite3_column_int64(s, i));
        if (type == typeof(bool)) return Typed<T, bool>(property, (s, i) => raw.sqlite3_column_int64(s, i) != 0);
        if (type == typeof(DateTime)) return Typed<T, DateTime>(property, (s, i) => ParseUtc(raw.sqlite3_column_blob(s, i)));
        if (type == typeof(DateTime?)) return Typed<T, DateTime?>(property, (s, i) => IsNull(s, i) ? null : ParseUtc(raw.sqlite3_column_blob(s, i)));
        if (type == typeof(DateOnly)) return Typed<T, DateOnly>(property, (s, i) => ParseDate(raw.sqlite3_column_blob(s, i)));
        if (type == typeof(DateOnly?)) return Typed<T, DateOnly?>(property, (s, i) => IsNull(s, i) ? null : ParseDate(raw.sqlite3_column_blob(s, i)));
        if (type == typeof(decimal)) return Typed<T, decimal>(property, (s, i) => decimal.Parse(Text(s, i), CultureInfo.InvariantCulture));
        throw new NotSupportedException($"{typeof(T).Name}.{property.Name}: {type.Name} is not read by the close's reader.");
    }

    private static Action<T, sqlite3_stmt, int> Typed<T, TValue>(System.Reflection.PropertyInfo property, Func<sqlite3_stmt, int, TValue> read)
    {
        var set = (Action<T, TValue>)Delegate.CreateDelegate(typeof(Action<T, TValue>), property.GetSetMethod()!);
        return (row, s, i) => set(row, read(s, i));
    }

    private static DateOnly ParseDate(ReadOnlySpan<byte> s) =>
        s.Length == 10 && s[4] == '-' && s[7] == '-' && Digits(s, 0, 4) is var y and >= 0 && Digits(s, 5, 2) is var m and >= 0 && Digits(s, 8, 2) is var d and >= 0
            ? new DateOnly(y, m, d)
            : DateOnly.ParseExact(Encoding.UTF8.GetString(s), "yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>"yyyy-MM-dd HH:mm:ss[.fffffff]" as EF writes it on SQLite; anything else through the general parser.</summary>
    internal static DateTime ParseUtc(ReadOnlySpan<byte> s)
    {
        if (s.Length >= 19 && s.Length <= 27 && s[4] == '-' && s[7] == '-' && (s[10] == ' ' || s[10] == 'T') && s[13] == ':' && s[16] == ':' && (s.Length == 19 || s[19] == '.'))
        {
            int year = Digits(s, 0, 4), month = Digits(s, 5, 2), day = Digits(s, 8, 2), hour = Digits(s, 11, 2), minute = Digits(s, 14, 2), second = Digits(s, 17, 2);
            var frac = s.Length > 20 ? Digits(s, 20, s.Length - 20) : 0;
            if ((year | month | day | hour | minute | second | frac) >= 0)
            {
                var ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks;
                for (var k = s.Length - 20; k < 7 && s.Length > 20; k++) frac *= 10;
                return new DateTime(ticks + frac, DateTimeKind.Utc);
            }
        }
        return ParseUtc(Encoding.UTF8.GetString(s));
    }

    /// <summary>The decimal value of <paramref name="length"/> ASCII digits, or -1 if any is not a digit.</summary>
    private static int Digits(ReadOnlySpan<byte> s, int start, int length)
    {
        var v = 0;
        for (var k = start; k < start + length; k++)
        {
            var c = s[k] - '0';
            if ((uint)c > 9) return -1;
            v = v * 10 + c;
        }
        return v;
    }

    /// <summary>A DATETIME not in EF's fixed form (written by something else).</summary>
    internal static DateTime ParseUtc(string s) =>
        DateTime.SpecifyKind(DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), DateTimeKind.Utc);

    /// <summary>Drops the temp table of patient ids (the connection may be pooled and reused).</summary>
    public async Task ReleaseAsync(CancellationToken ct)
    {
        if (!_hasPatients) return;
        await using var command = (await ConnectionAsync(ct)).CreateCommand();
        command.Transaction = Transaction;
        command.CommandText = $"DROP TABLE IF EXISTS {ClosePatients}";
        await command.ExecuteNonQueryAsync(ct);
        _hasPatients = false;
    }

    // EF's stored form (upper case) in one allocation instead of two.
    private static string UpperGuid(Guid g) => string.Create(36, g, static (span, id) =>
    {
        id.TryFormat(span, out _, "D");
        for (var k = 0; k < span.Length; k++)
            if (span[k] is >= 'a' and <= 'f') span[k] = (char)(span[k] - 32);
    });

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    private static object ToStore(object? value) => value switch
    {
        null => DBNull.Value,
        Guid g => UpperGuid(g),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? 1L : 0L,
        decimal m => m.ToString("0.0###########################", CultureInfo.InvariantCulture),
        Enum e => Convert.ToInt64(e, CultureInfo.InvariantCulture),
        _ => value,
    };
}
