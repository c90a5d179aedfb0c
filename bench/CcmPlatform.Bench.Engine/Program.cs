using System.Diagnostics;
using BenchmarkDotNet.Running;
using CcmPlatform.Bench.Engine;
using CcmPlatform.Billing.Rules;

// `--quick`: a Stopwatch loop for iterating on the engine; otherwise BenchmarkDotNet.
if (args.Contains("--quick"))
{
    var corpus = Corpus.Build(EngineBenchmark.CorpusSize, 20250301, Corpus.LoadFees());
    var mix = corpus.Select(BillingEngine.Evaluate).GroupBy(o => o switch
    {
        MonthOutcome.Claim c => "Claim " + c.Track,
        MonthOutcome.Hold h => "Hold " + h.Primary,
        MonthOutcome.NotBillable nb => "NotBillable " + nb.Reason,
        _ => "?",
    }).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
    Console.WriteLine("Outcome mix: " + string.Join(", ", mix));
    for (var round = 0; round < 5; round++)
    {
        var alloc = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        long sum = 0;
        foreach (var f in corpus) sum += BillingEngine.Evaluate(f).Explanation.ClinicalStaffMinutes;
        sw.Stop();
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var bytes = GC.GetAllocatedBytesForCurrentThread() - alloc;
        Console.WriteLine($"round {round}: {corpus.Length / sw.Elapsed.TotalSeconds:N0} patient-months/s wall, {corpus.Length / cpuSeconds:N0} per CPU-second, {bytes / corpus.Length:N0} B/patient-month (checksum {sum})");
    }
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(EngineBenchmark).Assembly).Run(args);
