using System.Diagnostics;
using CcmPlatform.Bench.Close;
using CcmPlatform.Billing.Closing;
using CcmPlatform.Billing.Data;
using CcmPlatform.Billing.Rules;
using CcmPlatform.Infrastructure.Messaging;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

// Usage: [--patients 100000] [--entries 400000] [--db PATH] [--broker amqp://…] [--redis host:port] [--no-drain] [--drain-seconds 120] [--reclose]
// [--phase seed|close|drain] runs one step on an existing --db; [--phases] (close) also times the read side piece by piece.
// Seeds in this process, then runs the close and the drain each in a fresh child process so their peak
// working sets are their own.
var opts = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(x => x.a[2..], x => x.i + 1 < args.Length && !args[x.i + 1].StartsWith("--", StringComparison.Ordinal) ? args[x.i + 1] : "true");
string Opt(string name, string fallback) => opts.TryGetValue(name, out var v) ? v : fallback;
var patients = int.Parse(Opt("patients", "100000"));
var entries = int.Parse(Opt("entries", (patients * 4).ToString()));
var dbPath = Opt("db", Path.Combine(Path.GetTempPath(), "ccm-bench-close.db"));
var broker = Opt("broker", "amqp://guest:guest@127.0.0.1:5672");
var redisAddress = Opt("redis", "127.0.0.1:6379");
var phase = Opt("phase", "all");
var month = new ServiceMonth(2025, 3);

DbContextOptions<SqliteBillingDbContext> DbOptions() => new DbContextOptionsBuilder<SqliteBillingDbContext>()
    .UseSqlite($"Data Source={dbPath}").AddInterceptors(new SqliteSession()).Options;

switch (phase)
{
    case "all":
    case "seed":
    {
        foreach (var f in new[] { dbPath, dbPath + "-wal", dbPath + "-shm" }) File.Delete(f);
        var sw = Stopwatch.StartNew();
        await using (var db = new SqliteBillingDbContext(DbOptions()))
        {
            await db.Database.MigrateAsync();
            var rows = await Seeder.SeedAsync(db, patients, entries, 20250301);
            Console.WriteLine($"seed: {patients:N0} patients, {entries:N0} time entries, {rows:N0} rows in {sw.Elapsed.TotalSeconds:F1} s ({rows / sw.Elapsed.TotalSeconds:N0} rows/s incl. migrations)");
        }
        if (phase == "seed" || opts.ContainsKey("seed-only")) return 0;
        var self = Environment.ProcessPath!;
        var dll = typeof(Seeder).Assembly.Location;
        foreach (var next in opts.ContainsKey("no-drain") ? new[] { "close" } : ["close", "drain"])
        {
            var psi = new ProcessStartInfo(self) { UseShellExecute = false };
            if (!self.EndsWith(Path.GetFileNameWithoutExtension(dll), StringComparison.Ordinal)) psi.ArgumentList.Add(dll);
            foreach (var a in new[] { "--phase", next, "--db", dbPath, "--broker", broker, "--redis", redisAddress, "--drain-seconds", Opt("drain-seconds", "120") }) psi.ArgumentList.Add(a);
            if (opts.ContainsKey("reclose")) psi.ArgumentList.Add("--reclose");
            using var child = Process.Start(psi)!;
            await child.WaitForExitAsync();
            if (child.ExitCode != 0) return child.ExitCode;
        }
        return 0;
    }
    case "close":
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(redisAddress);
        await using var db = new SqliteBillingDbContext(DbOptions());
        var closer = new MonthCloser(db, redis, TimeProvider.System, NullLogger<MonthCloser>.Instance);
        await db.Database.OpenConnectionAsync(); // first connection open is not part of the close
        if (opts.ContainsKey("phases"))
        {
            // Diagnostics only: the close's read side, piece by piece (warms the page cache, so run without it for figures).
            var cpuMark = Process.GetCurrentProcess().TotalProcessorTime;
            long Cpu()
            {
                var now = Process.GetCurrentProcess().TotalProcessorTime;
                var ms = (long)(now - cpuMark).TotalMilliseconds;
                cpuMark = now;
                return ms;
            }
            var t = Stopwatch.StartNew();
            var ids = await MonthCloser.PatientsInMonthAsync(db, Seeder.PracticeId, month, "America/New_York", default);
            Console.WriteLine($"  patients in month: {ids.Count:N0} in {t.ElapsedMilliseconds} ms, CPU {Cpu()} ms");
            t.Restart();
            var pause = GC.GetTotalPauseDuration();
            var files = await FactsLoader.LoadManyAsync(db, Seeder.PracticeId, ids, null, default);
            Console.WriteLine($"  facts loaded: {files.Count:N0} files in {t.ElapsedMilliseconds} ms, CPU {Cpu()} ms, GC pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:N0} ms");
            t.Restart();
            var fees = await FeeScheduleStore.LoadAsync(db, DateTime.UtcNow, default);
            FactsLoader.RosterView? roster = null;
            var facts = new List<PatientMonthFacts>(files.Count);
            foreach (var f in files.Values) { roster ??= new FactsLoader.RosterView(f); facts.Add(FactsLoader.ToFacts(f, month, fees, MueTable.MedicareDefault, roster)); }
            Console.WriteLine($"  ToFacts: {t.ElapsedMilliseconds} ms, CPU {Cpu()} ms");
            t.Restart();
            var outs = facts.Select(BillingEngine.Evaluate).ToList();
            Console.WriteLine($"  Evaluate: {t.ElapsedMilliseconds} ms, CPU {Cpu()} ms");
            t.Restart();
            foreach (var o in outs) { _ = o.Explanation.ToText(); }
            Console.WriteLine($"  ToText: {t.ElapsedMilliseconds} ms, CPU {Cpu()} ms");
            t.Restart();
            foreach (var o in outs) { _ = ExplanationJson.Serialize(o.Explanation); }
            Console.WriteLine($"  Json: {t.ElapsedMilliseconds} ms, CPU {Cpu()} ms");
            db.ChangeTracker.Clear();
            Console.WriteLine($"  GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, pause {GC.GetTotalPauseDuration().TotalMilliseconds:N0} ms, allocated {GC.GetTotalAllocatedBytes() / 1048576.0:N0} MiB");
            if (opts.ContainsKey("phases-only")) return 0;
        }
        var gcBefore = GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        var result = await closer.CloseAsync(Seeder.PracticeId, month, default, withOutcomes: false);
        sw.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        // After the commit, not part of the close's time: SQLite copying the close's WAL pages into the database file.
        var checkpoint = Stopwatch.StartNew();
        await (closer.LastCheckpoint?.Checkpoint ?? Task.CompletedTask);
        checkpoint.Stop();
        var outbox = await db.OutboxMessages.CountAsync(m => m.SentAt == null);
        var claimRows = await db.Claims.CountAsync();
        var lines = await db.ClaimLines.CountAsync();
        var outcomes = await db.Outcomes.CountAsync();
        using var me = Process.GetCurrentProcess();
        Console.WriteLine($"close: {sw.Elapsed.TotalSeconds:F2} s to commit ({cpu.TotalSeconds:F2} s CPU) — {result.Claims:N0} claims, {result.Holds:N0} holds, {result.NotBillable:N0} not billable, ${result.TotalCents / 100m:N2}");
        Console.WriteLine($"close: committed rows — claims {claimRows:N0}, claim lines {lines:N0}, outcomes {outcomes:N0}, outbox {outbox:N0} ({(claimRows + lines + outcomes + outbox) / sw.Elapsed.TotalSeconds:N0} rows/s written)");
        Console.WriteLine($"close: checkpoint after the commit finished {checkpoint.Elapsed.TotalSeconds:F2} s after the close returned");
        Console.WriteLine($"close: {outcomes / sw.Elapsed.TotalSeconds:N0} patient-months/s; peak working set {me.PeakWorkingSet64 / 1048576.0:N0} MiB; GCs {GC.CollectionCount(0) + GC.CollectionCount(1) + GC.CollectionCount(2) - gcBefore}; allocated {GC.GetTotalAllocatedBytes() / 1048576.0:N0} MiB");

        if (!opts.ContainsKey("reclose")) return 0;
        var sw2 = Stopwatch.StartNew();
        var again = await closer.CloseAsync(Seeder.PracticeId, month, default, withOutcomes: false);
        Console.WriteLine($"re-close (nothing changed): {sw2.Elapsed.TotalSeconds:F2} s, changed={again.Changed}, claims {again.Claims:N0}; outbox now {await db.OutboxMessages.CountAsync(m => m.SentAt == null):N0}");
        using var me2 = Process.GetCurrentProcess();
        Console.WriteLine($"close process peak working set after both closes: {me2.PeakWorkingSet64 / 1048576.0:N0} MiB");
        return 0;
    }
    case "check-text":
    {
        // On a file closed by a version that stored the text and the shown JSON: the stored form made from that JSON must give
        // back the same JSON and the same text.
        await using var db = new SqliteBillingDbContext(DbOptions());
        var stored = await db.Claims.AsNoTracking().Where(c => c.ExplanationText != "").Select(c => new { c.ExplanationText, c.ExplanationJson })
            .Concat(db.Outcomes.AsNoTracking().Where(o => o.ExplanationText != "").Select(o => new { o.ExplanationText, o.ExplanationJson })).ToListAsync();
        var differ = stored.Count(s =>
        {
            var compact = ExplanationJson.Serialize(ExplanationJson.Deserialize(s.ExplanationJson));
            return ExplanationJson.Text("", compact) != s.ExplanationText || ExplanationJson.Parse(compact)!.Value.GetRawText() != s.ExplanationJson;
        });
        Console.WriteLine($"check-text: {stored.Count:N0} stored explanations, {differ:N0} differ in text or JSON when rendered from the stored form");
        return differ == 0 ? 0 : 1;
    }
    case "drain":
    {
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<OutboxSignal>();
        services.AddDbContext<BillingDbContext, SqliteBillingDbContext>(o => o.UseSqlite($"Data Source={dbPath}").AddInterceptors(new SqliteSession()));
        services.AddMassTransit(x => x.UsingRabbitMq((_, cfg) => cfg.Host(new Uri(broker))));
        await using var sp = services.BuildServiceProvider();
        var bus = sp.GetRequiredService<IBusControl>();
        await bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token);
        var relay = ActivatorUtilities.CreateInstance<OutboxRelay<BillingDbContext>>(sp);
        int pending;
        using (var scope = sp.CreateScope()) pending = await scope.ServiceProvider.GetRequiredService<BillingDbContext>().OutboxMessages.CountAsync(m => m.SentAt == null);
        var sw = Stopwatch.StartNew();
        var sent = 0;
        int n;
        var cap = TimeSpan.FromSeconds(double.Parse(Opt("drain-seconds", "120"), System.Globalization.CultureInfo.InvariantCulture));
        while (sw.Elapsed < cap && (n = await relay.DrainOnceAsync(default)) > 0) sent += n;
        sw.Stop();
        if (sent < pending) Console.WriteLine($"drain: stopped at the {cap.TotalSeconds:F0} s cap; full drain at this rate ≈ {pending / (sent / sw.Elapsed.TotalSeconds):F0} s");
        using var me = Process.GetCurrentProcess();
        Console.WriteLine($"drain: {sent:N0} of {pending:N0} outbox rows published to {new Uri(broker).Host} through OutboxRelay in {sw.Elapsed.TotalSeconds:F1} s ({sent / sw.Elapsed.TotalSeconds:N0} msg/s); peak working set {me.PeakWorkingSet64 / 1048576.0:N0} MiB");
        await bus.StopAsync();
        return 0;
    }
    default:
        Console.Error.WriteLine($"unknown phase {phase}");
        return 2;
}
