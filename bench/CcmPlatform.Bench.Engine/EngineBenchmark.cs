using BenchmarkDotNet.Attributes;
using CcmPlatform.Billing.Rules;

namespace CcmPlatform.Bench.Engine;

[MemoryDiagnoser]
// In-process: no generated project to build on a busy machine; the host is this Release console app (workstation GC).
[InProcess]
[WarmupCount(3)]
[IterationCount(10)]
public class EngineBenchmark
{
    public const int CorpusSize = 100_000;
    private PatientMonthFacts[] _corpus = [];

    [GlobalSetup]
    public void Setup() => _corpus = Corpus.Build(CorpusSize, 20250301, Corpus.LoadFees());

    /// <summary>One operation = one patient-month, explanation included (it is part of every outcome).</summary>
    [Benchmark(OperationsPerInvoke = CorpusSize)]
    public long EvaluateCorpus()
    {
        long sum = 0;
        var corpus = _corpus;
        for (var i = 0; i < corpus.Length; i++)
        {
            var o = BillingEngine.Evaluate(corpus[i]);
            sum += o.Explanation.ClinicalStaffMinutes + o.Explanation.Candidates.Count;
        }
        return sum;
    }
}
