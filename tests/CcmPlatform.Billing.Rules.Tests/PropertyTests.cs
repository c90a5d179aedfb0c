using CcmPlatform.Billing.Rules;
using FsCheck.Xunit;
using static CcmPlatform.Billing.Rules.Tests.FactsBuilder;

namespace CcmPlatform.Billing.Rules.Tests;

/// <summary>The properties listed at the end of ccm-rules.md §8, over generated patient-months.</summary>
public sealed class PropertyTests
{
    private static readonly string[] ZoneIds = ["America/New_York", "America/Los_Angeles", "Asia/Kolkata", "Pacific/Chatham", "Australia/Lord_Howe"];

    /// <summary>A generated patient-month: minutes and documentation flags from FsCheck primitives.</summary>
    private sealed record Scenario(int[] Staff, int[] MdMinutes, int Flags)
    {
        public bool Complex => (Flags & 1) != 0;
        public bool Consent => (Flags & 2) == 0;      // mostly present
        public bool Plan => (Flags & 4) == 0;
        public bool Shared => (Flags & 8) == 0;
        public bool PartB => (Flags & 16) == 0;
        public bool Qmb => (Flags & 32) != 0;
        public bool SignedByBiller => (Flags & 64) == 0;
        public bool Qp => (Flags & 128) != 0;
        public bool Pcm => (Flags & 256) != 0;
        public int Cap99439 => (Flags >> 9) & 3;

        public static Scenario From(byte[]? staff, byte[]? md, int flags) => new(
            (staff ?? []).Take(6).Select(b => 1 + b % 120).ToArray(),
            (md ?? []).Take(3).Select(b => 1 + b % 120).ToArray(),
            flags & 0x7FF);

        public FactsBuilder Builder()
        {
            var b = FactsBuilder.For(2025, 3);
            var program = Pcm ? CareProgram.Pcm : CareProgram.Ccm;
            if (Pcm)
            {
                b.Enrollments = [new(CareProgram.Pcm, new DateOnly(2015, 1, 1))];
                b.Conditions = [new("I50.9", "hf")];
            }
            b.Consents = Consent ? [new("c1", program, Md, Local(2020, 1, 1))] : [];
            var v = b.PlanVersions[0];
            b.PlanVersions = !Plan ? [] : [v with { SharedAtUtc = Shared ? v.SharedAtUtc : null, SignedByPractitionerId = SignedByBiller ? Md : OtherMd }];
            if (!PartB) b.Coverage = null;
            else if (Qmb) b.Coverage = b.Coverage! with { Qmb = true };
            if (Complex) b.ComplexCriteriaMet();
            if (Qp) b.Practitioners[0] = b.Practitioners[0] with { QpYears = [2025] };
            b.Mue = new MueTable(new Dictionary<string, int> { ["99439"] = Cap99439 });
            for (var i = 0; i < Staff.Length; i++) b.Entry(Staff[i], Local(2025, 3, 2 + i, 9), program: program);
            for (var i = 0; i < MdMinutes.Length; i++) b.Entry(MdMinutes[i], Local(2025, 3, 10 + i, 15), StaffRoleKind.Practitioner, Md, program, "md1");
            return b;
        }
    }

    private static long Pay(MonthOutcome o) => o is MonthOutcome.Claim c ? c.TotalCents : 0;

    private static readonly Dictionary<string, string> AddOnBase = new()
    {
        ["99439"] = "99490", ["99489"] = "99487", ["99437"] = "99491", ["99425"] = "99424", ["99427"] = "99426",
    };

    private static readonly string[][] TrackCodes =
    [
        ["99490", "99439"], ["99487", "99489"], ["99491", "99437"], ["99424", "99425"], ["99426", "99427"], ["G0556"], ["G0557"], ["G0558"],
    ];

    private static (MonthOutcome Before, MonthOutcome After) WithExtraMinutes(Scenario s, byte extra, bool byMd)
    {
        var b = s.Builder();
        var before = BillingEngine.Evaluate(b.Build());
        var program = s.Pcm ? CareProgram.Pcm : CareProgram.Ccm;
        if (byMd) b.Entry(1 + extra % 240, Local(2025, 3, 25, 15), StaffRoleKind.Practitioner, Md, program, "md1");
        else b.Entry(1 + extra % 240, Local(2025, 3, 25, 9), program: program);
        return (before, BillingEngine.Evaluate(b.Build()));
    }

    [Property(MaxTest = 300)]
    [Trait("Rule", "R-CODE-4")]
    [Trait("Rule", "R-CODE-1")]
    public bool GivenAnyPatientMonth_WhenCountableMinutesIncrease_ThenPaymentNeverDecreases(byte[] staff, byte[] md, int flags, byte extra, bool byMd)
    {
        var (before, after) = WithExtraMinutes(Scenario.From(staff, md, flags), extra, byMd);
        return Pay(after) >= Pay(before);
    }

    [Property(MaxTest = 300)]
    [Trait("Rule", "R-CODE-1")]
    [Trait("Rule", "R-CODE-2")]
    [Trait("Rule", "R-CPLX-1")]
    [Trait("Rule", "R-PCM-1")]
    public bool GivenAnyPatientMonth_WhenCountableMinutesIncrease_ThenUnitsWithinEachTrackNeverDecrease(byte[] staff, byte[] md, int flags, byte extra, bool byMd)
    {
        var (before, after) = WithExtraMinutes(Scenario.From(staff, md, flags), extra, byMd);
        foreach (var t in before.Explanation.Candidates)
        {
            var a = after.Explanation.Candidates.FirstOrDefault(x => x.Track == t.Track);
            if (a is null) return false;
            if (a.Lines.Sum(l => l.Units) < t.Lines.Sum(l => l.Units)) return false;
        }
        return true;
    }

    [Property(MaxTest = 300)]
    [Trait("Rule", "R-CODE-3")]
    public bool GivenAnyPatientMonth_WhenEvaluated_ThenNeverTwoTracksAndNeverAnAddOnWithoutItsBase(byte[] staff, byte[] md, int flags)
    {
        var o = BillingEngine.Evaluate(Scenario.From(staff, md, flags).Builder().Build());
        if (o is not MonthOutcome.Claim c) return true;
        var codes = c.Lines.Select(l => l.Code).ToArray();
        var oneTrack = TrackCodes.Count(t => codes.All(t.Contains)) == 1;
        var baseFirst = codes.All(code => !AddOnBase.TryGetValue(code, out var b) || codes.Contains(b));
        var baseOnce = c.Lines.All(l => AddOnBase.ContainsKey(l.Code) || l.Units == 1);
        return oneTrack && baseFirst && baseOnce && c.Lines.Sum(l => l.AmountCents) == c.TotalCents;
    }

    [Property(MaxTest = 300)]
    [Trait("Rule", "R-CODE-6")]
    public bool GivenAnyPatientMonthAndMueTable_WhenEvaluated_ThenNeverMoreUnitsThanTheMue(byte[] staff, byte[] md, int flags)
    {
        var s = Scenario.From(staff, md, flags);
        var o = BillingEngine.Evaluate(s.Builder().Build());
        var ok = o.Explanation.Candidates.SelectMany(t => t.Lines).All(l => l.Code != "99439" || l.Units <= s.Cap99439);
        if (o is MonthOutcome.Claim c) ok &= c.Lines.All(l => l.Code != "99439" || l.Units <= s.Cap99439);
        return ok;
    }

    [Property(MaxTest = 300)]
    [Trait("Rule", "R-CONS-1")]
    [Trait("Rule", "R-ELIG-5")]
    [Trait("Rule", "R-PLAN-1")]
    [Trait("Rule", "R-HOLD-1")]
    public bool GivenAnyPatientMonth_WhenAClaimIsProduced_ThenConsentPartBAndAnActiveSignedSharedPlanExist(byte[] staff, byte[] md, int flags)
    {
        var s = Scenario.From(staff, md, flags);
        var o = BillingEngine.Evaluate(s.Builder().Build());
        return o is not MonthOutcome.Claim || (s.Consent && s.PartB && s.Plan && s.Shared && s.SignedByBiller);
    }

    [Property(MaxTest = 200)]
    [Trait("Rule", "R-TIME-1")]
    [Trait("Rule", "R-TIME-2")]
    public bool GivenEntriesAroundAMonthBoundary_WhenOneMinuteMovesAcrossIt_ThenOnlyThoseTwoMonthsChange(byte[] staff, byte zoneIndex, byte offset, int flags)
    {
        var zone = ZoneIds[zoneIndex % ZoneIds.Length];
        var tz = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var boundary = new ServiceMonth(2025, 4).StartUtc(tz);
        var len = 1 + offset % 60;
        var minutes = (staff ?? []).Take(8).Select(b => 1 + b % 90).ToArray();

        PatientMonthFacts Facts(ServiceMonth m, int shift)
        {
            var s = Scenario.From(null, null, flags & ~(256 | 2 | 16));
            var b = s.Builder();
            for (var i = 0; i < minutes.Length; i++)
                b.Entry(minutes[i], new ServiceMonth(2025, 2 + i % 4).StartUtc(tz).AddDays(3 + i).AddHours(5));
            b.Entry(len, boundary.AddMinutes(-len + shift));
            return b.Build(m) with { PracticeTimeZone = zone };
        }

        var months = new[] { new ServiceMonth(2025, 2), new ServiceMonth(2025, 3), new ServiceMonth(2025, 4), new ServiceMonth(2025, 5) };
        var before = months.Select(m => BillingEngine.Evaluate(Facts(m, 0))).ToArray();
        var after = months.Select(m => BillingEngine.Evaluate(Facts(m, 1))).ToArray();
        return before[0].Explanation.ToText() == after[0].Explanation.ToText()
            && before[3].Explanation.ToText() == after[3].Explanation.ToText()
            && Describe(before[0]) == Describe(after[0]) && Describe(before[3]) == Describe(after[3])
            && after[1].Explanation.ClinicalStaffMinutes == before[1].Explanation.ClinicalStaffMinutes - 1
            && after[2].Explanation.ClinicalStaffMinutes == before[2].Explanation.ClinicalStaffMinutes + 1;
    }

    private static string Describe(MonthOutcome o) => o switch
    {
        MonthOutcome.Claim c => $"claim {string.Join(",", c.Lines)} {c.TotalCents}",
        MonthOutcome.Hold h => $"hold {h.Primary} {string.Join(",", h.Secondary)}",
        MonthOutcome.NotBillable n => $"nb {n.Reason} {n.Text}",
        _ => "?",
    };

    [Property(MaxTest = 100)]
    [Trait("Rule", "R-CLOSE-2")]
    public bool GivenAnyPatientMonth_WhenEvaluatedTwice_ThenTheOutcomeIsIdentical(byte[] staff, byte[] md, int flags)
    {
        var f = Scenario.From(staff, md, flags).Builder().Build();
        var a = BillingEngine.Evaluate(f);
        var b = BillingEngine.Evaluate(f);
        return Describe(a) == Describe(b) && a.Explanation.ToText() == b.Explanation.ToText();
    }
}
